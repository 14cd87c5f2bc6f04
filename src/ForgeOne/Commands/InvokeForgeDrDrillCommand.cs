using System.Collections.Concurrent;
using System.Management.Automation;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Progress;

namespace ForgeOne.Commands;

/// <summary>Runs a disaster-recovery drill: restores a snapshot into scratch space and proves it usable in time.</summary>
/// <remarks>
/// <para>Invoke-ForgeDrDrill restores the newest snapshot (or the one -Id names) into an empty scratch folder (-Scratch,
/// else a new temporary folder), checks the restored tree's DNA against the snapshot's, runs SQLite's integrity check
/// on every restored store database (and, given -StoreKeyFile or -StoreCredential, the logical DNA check), and runs
/// your -Validation script block with the restored folder as its argument (also as $_). The script block passes when
/// its output is true as PowerShell's if sees it; a thrown error fails the check with its message. The recovery time
/// (RTO) is the time of all of that; the recovery point (RPO) is the snapshot's age when the drill started. Both are
/// compared with -RtoObjective and -RpoObjective. The scratch folder is then removed (-KeepScratch keeps it) and the
/// result is recorded in the repository, where Get-ForgeDrDrill and Export-ForgeEvidence find it.</para>
/// <para>The output is a DrDrillResult: Passed, Rto, Rpo, the objectives, Checks (restore, dna, integrity of each
/// database, validation, rto, rpo, each with Passed and Detail), Failures, SnapshotId, DnaHash and Time. A failed check
/// is a result, not an error, so a nightly Pester test asserts on Passed; errors mean the drill could not run (no
/// snapshot, a scratch folder that is not empty).</para>
/// </remarks>
/// <example>
/// <code>Invoke-ForgeDrDrill -Repository /backup/repo -Latest -RpoObjective 24h -RtoObjective 8h</code>
/// <para>Restores the newest snapshot, verifies it and holds it to a 24-hour RPO and an 8-hour RTO.</para>
/// </example>
/// <example>
/// <code>Invoke-ForgeDrDrill -Repository /backup/repo -Validation { param($Path) (Import-Csv "$Path/data/orders.csv").Count -gt 0 }</code>
/// <para>Also checks that the restored orders file has rows.</para>
/// </example>
/// <example>
/// <code>(Invoke-ForgeDrDrill -Repository /backup/repo -Id 3f2a91c0 -Scratch /mnt/drill).Failures</code>
/// <para>Drills one snapshot in a chosen scratch folder and lists the checks that failed.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "ForgeDrDrill", DefaultParameterSetName = LatestSet)]
[OutputType(typeof(DrDrillResult))]
public sealed class InvokeForgeDrDrillCommand : ForgeRepositoryCmdlet
{
    private const string IdSet = "Id";
    private const string LatestSet = "Latest";

    /// <summary>The snapshot to drill: its id or a unique prefix of it.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Drill the newest snapshot (the default).</summary>
    [Parameter(ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>An empty or missing folder to restore into; removed afterwards. By default a new temporary folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Scratch { get; set; }

    /// <summary>The recovery point objective: the oldest the snapshot may be, for example 24h or 24:00:00 (24 hours).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? RpoObjective { get; set; }

    /// <summary>The recovery time objective: the longest restore and checks may take, for example 8h or 08:00:00.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? RtoObjective { get; set; }

    /// <summary>A script block run against the restored folder (its first argument, and $_); true output passes.</summary>
    [Parameter]
    public ScriptBlock? Validation { get; set; }

    /// <summary>For a store backup: the store's passphrase, so restored databases also get the logical DNA check.</summary>
    [Parameter]
    [Credential]
    public PSCredential? StoreCredential { get; set; }

    /// <summary>For a store backup: a key file that opens the store, so restored databases also get the logical DNA check.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StoreKeyFile { get; set; }

    /// <summary>Leave the restored data in the scratch folder for inspection.</summary>
    [Parameter]
    public SwitchParameter KeepScratch { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var repository = OpenRepository();
        var target = ParameterSetName == IdSet ? Id : "latest";
        try
        {
            using var storeCredentials = StoreCredential is null && StoreKeyFile is null
                ? null
                : CredentialReader.RequireStore(StoreCredential,
                    StoreKeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StoreKeyFile));
            var options = new DrDrillOptions
            {
                SnapshotId = ParameterSetName == IdSet ? Id : null,
                Scratch = Scratch is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Scratch),
                RpoObjective = RpoObjective,
                RtoObjective = RtoObjective,
                StoreCredentials = storeCredentials,
                KeepScratch = KeepScratch,
            };
            var result = RunOnPipelineThread((post, progress, ct) => DrDrillRunner.RunAsync(repository,
                Validation is null ? options : options with { Validation = (path, _) => post(() => Validate(path)) },
                progress, ct));
            WriteObject(WithRepository(result));
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, target);
        }
    }

    // Runs on the pipeline thread: script blocks belong to the runspace and must not run on Core's threads.
    private (bool Passed, string Detail) Validate(string path)
    {
        try
        {
            var output = Validation!.InvokeWithContext(null, [new PSVariable("_", path)], path);
            var passed = LanguagePrimitives.IsTrue(output.Count == 1 ? output[0] : output.ToArray());
            var shown = string.Join(", ", output.Select(item => item?.ToString()));
            return (passed, passed
                ? $"the validation script block returned '{shown}'"
                : $"the validation script block returned '{shown}', which is not true");
        }
        catch (RuntimeException ex) when (ex is not PipelineStoppedException)
        {
            return (false, "the validation script block failed: " + ex.Message);
        }
    }

    /// <summary>
    /// Runs a Core operation on the thread pool while this (pipeline) thread runs what the operation posts to it
    /// (script blocks) and shows its progress; the base's RunOperation shows progress only.
    /// </summary>
    private T RunOnPipelineThread<T>(
        Func<Func<Func<(bool, string)>, Task<(bool Passed, string Detail)>>, IProgress<OperationProgress>, CancellationToken, Task<T>> operation)
    {
        using var work = new BlockingCollection<Action>();
        Task<(bool Passed, string Detail)> Post(Func<(bool, string)> call)
        {
            var completion = new TaskCompletionSource<(bool Passed, string Detail)>(TaskCreationOptions.RunContinuationsAsynchronously);
            work.Add(() =>
            {
                try
                {
                    completion.SetResult(call());
                }
                catch (Exception ex)
                {
                    completion.SetException(ex);
                }
            });
            return completion.Task;
        }

        var progress = new PostedProgress(work, this);
        var task = Task.Run(() => operation(Post, progress, CancellationToken), CancellationToken);
        task.ContinueWith(_ => work.CompleteAdding(), TaskScheduler.Default);
        foreach (var item in work.GetConsumingEnumerable())
        {
            item();
        }

        WriteProgress(new ProgressRecord(1, "Disaster-recovery drill", "Done") { RecordType = ProgressRecordType.Completed });
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    // Progress reports become work items, so they are drawn on the pipeline thread between script block calls.
    private sealed class PostedProgress(BlockingCollection<Action> work, Cmdlet cmdlet) : IProgress<OperationProgress>
    {
        private DateTime _lastShown = DateTime.MinValue;

        public void Report(OperationProgress value)
        {
            // Only a few reports a second are worth drawing; the rest would slow the restore down.
            if (DateTime.UtcNow - _lastShown < TimeSpan.FromMilliseconds(250))
            {
                return;
            }

            _lastShown = DateTime.UtcNow;
            try
            {
                work.TryAdd(() => cmdlet.WriteProgress(new ProgressRecord(1, "Disaster-recovery drill", value.Activity)
                {
                    PercentComplete = value.PercentComplete,
                    CurrentOperation = value.CurrentItem ?? "",
                }));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // The drill finished between its last report and this one.
            }
        }
    }
}
