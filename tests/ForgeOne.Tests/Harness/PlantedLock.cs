using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;

namespace ForgeOne.Tests.Harness;

/// <summary>
/// Writes lock objects as another ForgeOne process would have left them, through Core's own lock writer.
/// </summary>
/// <remarks>
/// Tests cannot reference Core (it lives in the module's private load context), and no public API writes a lock for
/// another process, so this reaches the writer by reflection on the module's Core assembly. If Core's internals
/// change, this fails loudly rather than testing nothing.
/// </remarks>
public static class PlantedLock
{
    /// <summary>Writes a shared "backup" lock held by <paramref name="processId"/> on this host; returns its id.</summary>
    /// <param name="coreObject">Any object the module emitted, to find its Core assembly.</param>
    /// <param name="repository">The repository folder.</param>
    /// <param name="keyFile">A key file that opens it.</param>
    /// <param name="processId">The holder: a process that has exited makes the lock stale, a running one live.</param>
    public static string Write(object coreObject, string repository, string keyFile, int processId)
    {
        var core = coreObject.GetType().Assembly;
        var backend = Activator.CreateInstance(core.GetType("ForgeOne.Core.Storage.LocalStorageBackend", throwOnError: true)!, repository)!;
        var credentialsType = core.GetType("ForgeOne.Core.Repository.RepositoryCredentials", throwOnError: true)!;
        using var credentials = (IDisposable)credentialsType.GetMethod("FromKeyFile")!.Invoke(null, [keyFile])!;
        var repositoryType = core.GetType("ForgeOne.Core.Repository.Repository", throwOnError: true)!;
        var open = (Task)repositoryType.GetMethod("OpenAsync")!.Invoke(null, [backend, credentials, CancellationToken.None])!;
        open.GetAwaiter().GetResult();
        var opened = open.GetType().GetProperty("Result")!.GetValue(open)!;
        try
        {
            var manager = repositoryType.GetMethod("CreateLockManager")!.Invoke(opened, [null])!;
            var now = DateTimeOffset.UtcNow;
            var record = Activator.CreateInstance(core.GetType("ForgeOne.Core.Repository.Locking.LockRecord", throwOnError: true)!,
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, binder: null,
                [Environment.MachineName, Environment.UserName, processId, null, false, "backup", now, now], culture: null)!;
            var id = RandomNumberGenerator.GetHexString(64, lowercase: true);
            var write = manager.GetType().GetMethod("WriteAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
            ((Task)write.Invoke(manager, [id, record, CancellationToken.None])!).GetAwaiter().GetResult();
            return id;
        }
        finally
        {
            ((IAsyncDisposable)opened).DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The id of a process that has exited: what a killed backup leaves in its lock.</summary>
    public static int ExitedProcessId()
    {
        var start = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd.exe", "/c exit") : new ProcessStartInfo("true");
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.Id;
    }
}
