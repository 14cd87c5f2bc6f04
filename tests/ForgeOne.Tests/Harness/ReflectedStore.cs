using System.Collections;
using System.Reflection;

namespace ForgeOne.Tests.Harness;

/// <summary>
/// A store opened through Core by reflection, in this process: a second user of the store beside the cmdlets, for
/// the set-ups no cmdlet offers (a writer running during a snapshot, a key rotation interrupted half-way).
/// </summary>
/// <remarks>
/// Tests cannot reference Core: it lives in the module's private load context. Its assembly is reached through any
/// object the module emitted. If Core's API changes, this fails loudly rather than testing nothing. An open store
/// holds the store's shared in-use lock, as any other process using it would.
/// </remarks>
public sealed class ReflectedStore : IDisposable
{
    private ReflectedStore(Assembly core, object store)
    {
        Core = core;
        Store = store;
    }

    /// <summary>The module's ForgeOne.Core assembly.</summary>
    public Assembly Core { get; }

    /// <summary>The open ForgeOne.Core.Store.ForgeStore.</summary>
    public object Store { get; }

    /// <summary>Opens the store at <paramref name="location"/> with <paramref name="keyFile"/>.</summary>
    /// <param name="coreObject">Any object the module emitted (store statistics, say), to find Core.</param>
    public static ReflectedStore Open(object coreObject, string location, string keyFile)
    {
        var core = coreObject.GetType().Assembly;
        var credentialsType = core.GetType("ForgeOne.Core.Repository.RepositoryCredentials", throwOnError: true)!;
        using var credentials = (IDisposable)credentialsType.GetMethod("FromKeyFile")!.Invoke(null, [keyFile])!;
        var storeType = core.GetType("ForgeOne.Core.Store.ForgeStore", throwOnError: true)!;
        return new ReflectedStore(core, Invoke(storeType.GetMethod("Open")!, null, location, credentials)!);
    }

    /// <summary>Writes log entries of <paramref name="topic"/> through Core's LogStore.Write, in one batch.</summary>
    public void WriteLogs(string topic, IEnumerable<string> messages)
    {
        var entryType = Core.GetType("ForgeOne.Core.Store.Logs.LogEntry", throwOnError: true)!;
        var entries = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(entryType))!;
        foreach (var message in messages)
        {
            var entry = Activator.CreateInstance(entryType)!;
            entryType.GetProperty("Topic")!.SetValue(entry, topic);
            entryType.GetProperty("Message")!.SetValue(entry, message);
            entries.Add(entry);
        }

        var logs = Store.GetType().GetProperty("Logs")!.GetValue(Store)!;
        Invoke(logs.GetType().GetMethod("Write")!, logs, entries);
    }

    /// <summary>
    /// Starts a key rotation and stops it right after its first committed batch, through the cancellation token, as
    /// Ctrl+C would; throws unless the rotation was indeed stopped.
    /// </summary>
    public void RotateKeyAndStopAfterFirstBatch(int batchSize)
    {
        var rotationType = Core.GetType("ForgeOne.Core.Store.Rotation.StoreKeyRotation", throwOnError: true)!;
        var progressType = Core.GetType("ForgeOne.Core.Store.Rotation.StoreKeyRotationProgress", throwOnError: true)!;
        using var stop = new CancellationTokenSource();
        var progress = Activator.CreateInstance(typeof(CancelOnReport<>).MakeGenericType(progressType), stop)!;
        var rotation = Activator.CreateInstance(rotationType, Store, null)!;
        Assert.Throws<OperationCanceledException>(() => Invoke(rotationType.GetMethod("Run")!, rotation, batchSize, progress, stop.Token));
    }

    /// <inheritdoc />
    public void Dispose() => ((IDisposable)Store).Dispose();

    private static object? Invoke(MethodInfo method, object? target, params object?[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Cancels on the first report it gets.</summary>
    private sealed class CancelOnReport<T>(CancellationTokenSource source) : IProgress<T>
    {
        public void Report(T value) => source.Cancel();
    }
}
