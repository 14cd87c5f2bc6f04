using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;

namespace ForgeOne.Tests.Harness;

/// <summary>Writes lock objects as another ForgeOne process would have left them, through Core's own lock writer.</summary>
/// <remarks>No public API writes a lock for another process, so this calls the lock manager's writer by reflection.</remarks>
public static class PlantedLock
{
    /// <summary>Writes a shared "backup" lock held by <paramref name="processId"/> on this host; returns its id.</summary>
    /// <param name="coreObject">Any object the module emitted, to find its Core assembly.</param>
    /// <param name="repository">The repository folder.</param>
    /// <param name="keyFile">A key file that opens it.</param>
    /// <param name="processId">The holder: a process that has exited makes the lock stale, a running one live.</param>
    public static string Write(object coreObject, string repository, string keyFile, int processId)
    {
        using var opened = ReflectedRepository.Open(coreObject, repository, keyFile);
        var manager = opened.Repository.GetType().GetMethod("CreateLockManager")!.Invoke(opened.Repository, [null])!;
        var now = DateTimeOffset.UtcNow;
        var record = Activator.CreateInstance(opened.Core.GetType("ForgeOne.Core.Repository.Locking.LockRecord", throwOnError: true)!,
            BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, binder: null,
            [Environment.MachineName, Environment.UserName, processId, null, false, "backup", now, now], culture: null)!;
        var id = RandomNumberGenerator.GetHexString(64, lowercase: true);
        var write = manager.GetType().GetMethod("WriteAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
        ReflectedRepository.Await(write.Invoke(manager, [id, record, CancellationToken.None])!);
        return id;
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
