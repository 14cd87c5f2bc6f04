using System.ComponentModel;
using System.Diagnostics;

namespace ForgeOne.Core.Repository.Locking;

/// <summary>Tells whether the process that wrote a lock on this host is still running.</summary>
/// <remarks>
/// <para>A process id alone is not enough: ids are reused. Locks therefore record the holder's start time where
/// the platform reports it, and a running process with that id but another start time is a different process.</para>
/// <para>Start times are compared within <see cref="StartTolerance"/>: Linux derives them from the boot time and the
/// current clock, so two readings differ by a few milliseconds (more if the clock is stepped). A process that
/// reuses an id within a second of the original's start cannot exist, since both would have run at once.</para>
/// <para>When the answer is unknown (access denied, a platform without process information), the process counts as
/// running: a live lock wrongly judged stale could be removed under a running operation, while a dead one wrongly
/// judged live only waits for <see cref="RepositoryLockOptions.StaleAfter"/>.</para>
/// </remarks>
internal static class ProcessLiveness
{
    /// <summary>How far two readings of one process's start time may differ.</summary>
    public static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(2);

    private static readonly Lazy<DateTimeOffset?> CurrentStart = new(() =>
    {
        try
        {
            using var current = Process.GetCurrentProcess();
            return ToUtc(current.StartTime);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return null;
        }
    });

    /// <summary>What became of a process.</summary>
    public enum Status
    {
        /// <summary>Running, with the expected start time or none to compare.</summary>
        Running,

        /// <summary>No process has the id.</summary>
        NotRunning,

        /// <summary>A process with the id runs, but it started at another time: the id was reused.</summary>
        Replaced,
    }

    /// <summary>The current process's start time, UTC; null when the platform does not report it.</summary>
    public static DateTimeOffset? CurrentProcessStart => CurrentStart.Value;

    /// <summary>Checks a process on this host.</summary>
    /// <param name="processId">The holder's process id.</param>
    /// <param name="expectedStart">The holder's start time, or null to check the id only.</param>
    /// <param name="actualStart">The start time of the process now using the id, when known.</param>
    public static Status Check(int processId, DateTimeOffset? expectedStart, out DateTimeOffset? actualStart)
    {
        actualStart = null;
        if (processId <= 0)
        {
            return Status.NotRunning;
        }

        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            // No process with this id.
            return Status.NotRunning;
        }
        catch (InvalidOperationException)
        {
            return Status.NotRunning;
        }
        catch (NotSupportedException)
        {
            return Status.Running;
        }

        using (process)
        {
            if (expectedStart is null)
            {
                return Status.Running;
            }

            try
            {
                actualStart = ToUtc(process.StartTime);
            }
            catch (InvalidOperationException)
            {
                // It exited between the lookup and now.
                return Status.NotRunning;
            }
            catch (Exception ex) when (ex is Win32Exception or NotSupportedException)
            {
                // Another user's process on Windows, for example: alive, start time unknown.
                return Status.Running;
            }

            return (actualStart.Value - expectedStart.Value).Duration() <= StartTolerance
                ? Status.Running
                : Status.Replaced;
        }
    }

    // Process.StartTime is local time.
    private static DateTimeOffset ToUtc(DateTime localTime) => new DateTimeOffset(localTime).ToUniversalTime();
}
