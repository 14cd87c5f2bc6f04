using System.Reflection;

namespace ForgeOne.Tests.Harness;

/// <summary>
/// A repository opened through Core by reflection, for the few test set-ups no cmdlet offers (planting a dead
/// process's lock, finding where a chunk sits in a pack).
/// </summary>
/// <remarks>
/// Tests cannot reference Core: it lives in the module's private load context. Its assembly is reached through any
/// object the module emitted. If Core's API changes, this fails loudly rather than testing nothing.
/// </remarks>
public sealed class ReflectedRepository : IDisposable
{
    private ReflectedRepository(Assembly core, object repository)
    {
        Core = core;
        Repository = repository;
    }

    /// <summary>The module's ForgeOne.Core assembly.</summary>
    public Assembly Core { get; }

    /// <summary>The open ForgeOne.Core.Repository.Repository.</summary>
    public object Repository { get; }

    /// <summary>Opens <paramref name="location"/> with <paramref name="keyFile"/>.</summary>
    /// <param name="coreObject">Any object the module emitted (a Snapshot, say), to find Core.</param>
    public static ReflectedRepository Open(object coreObject, string location, string keyFile)
    {
        var core = coreObject.GetType().Assembly;
        var backend = Activator.CreateInstance(core.GetType("ForgeOne.Core.Storage.LocalStorageBackend", throwOnError: true)!, location)!;
        var credentialsType = core.GetType("ForgeOne.Core.Repository.RepositoryCredentials", throwOnError: true)!;
        using var credentials = (IDisposable)credentialsType.GetMethod("FromKeyFile")!.Invoke(null, [keyFile])!;
        var repositoryType = core.GetType("ForgeOne.Core.Repository.Repository", throwOnError: true)!;
        return new ReflectedRepository(core, Await(repositoryType.GetMethod("OpenAsync")!.Invoke(null, [backend, credentials, CancellationToken.None])!)!);
    }

    /// <summary>Waits for a Task (or Task&lt;T&gt;) returned by reflection; returns its result, or null.</summary>
    public static object? Await(object task)
    {
        ((Task)task).GetAwaiter().GetResult();
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    /// <summary>Each data blob of each pack: the pack file, and the blob's offset and length in it.</summary>
    public IEnumerable<(string PackFile, long Offset, int Length)> DataBlobs(string location)
    {
        var packIdType = Core.GetType("ForgeOne.Core.Repository.PackId", throwOnError: true)!;
        var readHeader = Repository.GetType().GetMethod("ReadPackHeaderAsync")!;
        foreach (var pack in Directory.EnumerateFiles(Path.Combine(location, "data"), "*", SearchOption.AllDirectories))
        {
            var packId = packIdType.GetMethod("Parse")!.Invoke(null, [Path.GetFileName(pack)]);
            var header = Await(readHeader.Invoke(Repository, [packId, CancellationToken.None])!)!;
            foreach (var blob in (System.Collections.IEnumerable)header.GetType().GetProperty("Blobs")!.GetValue(header)!)
            {
                var type = blob.GetType();
                if (type.GetProperty("Type")!.GetValue(blob)!.ToString() == "Data")
                {
                    yield return (pack, (long)type.GetProperty("Offset")!.GetValue(blob)!, (int)type.GetProperty("Length")!.GetValue(blob)!);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => ((IAsyncDisposable)Repository).DisposeAsync().AsTask().GetAwaiter().GetResult();
}
