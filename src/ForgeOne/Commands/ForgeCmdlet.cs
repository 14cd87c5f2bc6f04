using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using ForgeOne.Core.Progress;

namespace ForgeOne.Commands;

/// <summary>
/// Base of every ForgeOne cmdlet: cancellation on Ctrl+C, running Core's async operations with their progress shown
/// on the pipeline thread, and one mapping from Core exceptions to error records.
/// </summary>
public abstract class ForgeCmdlet : PSCmdlet, IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C; pass it to every Core call.</summary>
    /// <remarks>We build against PowerShell Standard to support 7.4, so we keep our own token rather than 7.6's PipelineStopToken.</remarks>
    protected CancellationToken CancellationToken => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Writes a non-terminating error for one item that failed; the caller decides with -ErrorAction.</summary>
    protected void WriteItemError(Exception exception, object? target) =>
        WriteError(ErrorMap.ToErrorRecord(exception, target));

    /// <summary>Stops the command: nothing else it was asked to do can succeed.</summary>
    protected void ThrowTerminating(Exception exception, object? target) =>
        ThrowTerminatingError(ErrorMap.ToErrorRecord(exception, target));

    /// <summary>The instant a -From or -To date names: a date without a zone (2026-10-01) means local time, as everywhere in PowerShell.</summary>
    protected static DateTimeOffset ToUtc(DateTime time) =>
        new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Local) : time).ToUniversalTime();

    /// <summary>
    /// Runs a Core operation to completion on the thread pool while this (pipeline) thread shows its progress,
    /// since Write* works only here. Ctrl+C cancels it and surfaces as <see cref="PipelineStoppedException"/>;
    /// any other failure is rethrown as itself, not wrapped.
    /// </summary>
    protected T RunOperation<T>(string activity, Func<IProgress<OperationProgress>, CancellationToken, Task<T>> operation)
    {
        var reports = new BlockingCollection<OperationProgress>();
        var progress = new Progress(reports);
        var task = Task.Run(() => operation(progress, CancellationToken), CancellationToken);
        task.ContinueWith(_ => reports.CompleteAdding(), TaskScheduler.Default);

        var lastShown = DateTime.MinValue;
        string? status = null;
        foreach (var report in reports.GetConsumingEnumerable())
        {
            // Only the newest report matters; drawing every one would slow the operation down.
            if (DateTime.UtcNow - lastShown < ProgressInterval && reports.Count > 0)
            {
                continue;
            }

            lastShown = DateTime.UtcNow;
            var record = Describe(report);
            status = record.StatusDescription;
            WriteProgress(record);
        }

        // A new record each time: hosts may keep the ones they were given (the hosted engine's Progress stream does).
        WriteProgress(new ProgressRecord(ActivityId, activity, status ?? "Done") { RecordType = ProgressRecordType.Completed });
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private int ActivityId => GetType().Name.GetHashCode(StringComparison.Ordinal) & 0x7fff;

    private ProgressRecord Describe(OperationProgress report)
    {
        var record = new ProgressRecord(ActivityId, report.Activity, "Working");
        record.StatusDescription = string.Create(CultureInfo.InvariantCulture,
            $"{report.ItemsDone}{(report.ItemsTotal is { } total ? "/" + total : "")} files, {Bytes(report.BytesDone)}, {Bytes((long)report.BytesPerSecond)}/s");
        record.CurrentOperation = report.CurrentItem ?? "";
        record.PercentComplete = report.PercentComplete;
        record.SecondsRemaining = report.Remaining is { } left ? (int)left.TotalSeconds : -1;
        return record;
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    /// <summary>Resolves a -Path value (wildcards allowed) to file system paths, writing an error when nothing matches.</summary>
    protected IEnumerable<string> ResolveFileSystemPaths(string path, bool literal)
    {
        List<string> resolved = [];
        try
        {
            if (literal)
            {
                resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _));
                RequireFileSystem(provider, path);
            }
            else
            {
                resolved.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider));
                RequireFileSystem(provider, path);
            }
        }
        catch (ItemNotFoundException ex)
        {
            WriteError(new ErrorRecord(ex, "FileNotFound", ErrorCategory.ObjectNotFound, path));
            return [];
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, "PathNotOnFileSystem", ErrorCategory.InvalidArgument, path));
            return [];
        }

        return resolved;
    }

    private static void RequireFileSystem(ProviderInfo provider, string path)
    {
        if (provider.Name != "FileSystem")
        {
            throw new ArgumentException($"'{path}' is on the {provider.Name} provider; give a file system path.");
        }
    }

    /// <summary>Releases what the command holds; PowerShell calls it when the command is done, also after Ctrl+C or a terminating error.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source; derived classes release their own resources too.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Dispose();
        }
    }

    // Posts straight into the queue: Progress<T> would marshal to a SynchronizationContext the pipeline thread lacks.
    private sealed class Progress(BlockingCollection<OperationProgress> reports) : IProgress<OperationProgress>
    {
        public void Report(OperationProgress value)
        {
            try
            {
                reports.TryAdd(value);
            }
            catch (InvalidOperationException)
            {
                // The operation finished between its last report and this one; nothing is listening any more.
            }
        }
    }
}
