using System.Globalization;
using System.Management.Automation;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Prune;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Store.Retention;

namespace ForgeOne.Commands;

/// <summary>Deletes a store's records that are older than its retention policy allows, or a repository's snapshots its policy no longer keeps.</summary>
/// <remarks>
/// <para>Invoke-ForgeRetention plans first: for each database, how many records are past the policy's cutoff (now
/// minus the kind's maximum age, see Set-ForgeRetentionPolicy), the oldest and newest of them and their ids. It then
/// asks, per database, whether to delete them (ShouldProcess): a database you decline under -Confirm is left alone.
/// Deletion runs in batched transactions while writers carry on; log entries and events go with their index rows,
/// blobs with the chunks no other blob uses. The output is a StoreRetentionResult with the count deleted per
/// database.</para>
/// <para>With -WhatIf nothing is deleted: each database that would be purged is shown as a What if message, and the
/// plan itself (StoreRetentionPlan, with one StoreRetentionPlanItem per database in its Databases property) is the
/// output, so scripts can inspect what would go. Records deleted here stay in backups taken before; to make personal
/// data unreadable everywhere, use Remove-ForgeSubjectKey.</para>
/// <para>With -Repository, it applies the snapshot retention policy stored in the repository (Set-ForgeRetentionPolicy
/// -Repository). Under -WhatIf nothing is removed: the output is one RetentionDecision per snapshot (Id, Time, Keep,
/// Reasons, Group), so a script sees which go and, for each one kept, the rules that keep it ('daily 2026-11-24',
/// 'legal hold: case 42'). Otherwise you are asked about each snapshot to remove (ShouldProcess; -Confirm asks one by
/// one), before the repository is locked, and the output is a ForgetResult listing the snapshots removed and those a
/// legal hold set meanwhile spared. Snapshots under legal hold are never removed. Removing a snapshot deletes only the
/// snapshot; -Prune then removes the data no snapshot references any more and outputs a PruneResult (bytes freed,
/// packs deleted and rewritten, duration); -RepackBelowUsage sets which packs are worth rewriting. -Credential and
/// -KeyFile then open the repository.</para>
/// </remarks>
/// <example>
/// <code>Invoke-ForgeRetention -Store ./store -KeyFile ./store.key -WhatIf</code>
/// <para>Shows, per database, how many records are past retention, deleting nothing.</para>
/// </example>
/// <example>
/// <code>(Invoke-ForgeRetention -WhatIf).Databases | Where-Object Kind -eq Logs</code>
/// <para>Lists the log shards of the store named by FORGE_STORE that hold expired entries.</para>
/// </example>
/// <example>
/// <code>Invoke-ForgeRetention -Store ./store -KeyFile ./store.key</code>
/// <para>Deletes every record past the store's retention policy.</para>
/// </example>
/// <example>
/// <code>Invoke-ForgeRetention -Repository /backup/repo -KeyFile ./forge.key -WhatIf | Where-Object Keep | Format-Table Time, Reasons</code>
/// <para>Shows which snapshots the repository's policy keeps and why, removing nothing.</para>
/// </example>
/// <example>
/// <code>Invoke-ForgeRetention -Repository /backup/repo -Prune -Confirm:$false</code>
/// <para>Removes the snapshots the policy no longer keeps and then the data only they used.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "ForgeRetention", DefaultParameterSetName = StoreSet, SupportsShouldProcess = true)]
[OutputType(typeof(StoreRetentionResult), typeof(StoreRetentionPlan), ParameterSetName = new[] { StoreSet })]
[OutputType(typeof(RetentionDecision), typeof(ForgetResult), typeof(PruneResult), ParameterSetName = new[] { RepositorySet })]
public sealed class InvokeForgeRetentionCommand : ForgeStoreCmdlet
{
    private const string StoreSet = "Store";
    private const string RepositorySet = "Repository";

    /// <summary>Apply the snapshot retention policy of this repository (its folder) instead of a store's.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RepositorySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Repository { get; set; } = "";

    /// <summary>With -Repository: afterwards remove the data no snapshot references any more.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SwitchParameter Prune { get; set; }

    /// <summary>With -Prune: rewrite packs whose used share of bytes is below this, 0 to 1; default 0.8.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateRange(0.0, 1.0)]
    public double RepackBelowUsage { get; set; } = 0.8;

    /// <summary>Records deleted per transaction, 1 to 100000; default 1000. Smaller batches make writers wait less.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [ValidateRange(1, 100_000)]
    public int BatchSize { get; set; } = StoreRetention.DefaultBatchSize;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == RepositorySet)
        {
            ApplyRepositoryPolicy();
            return;
        }

        var store = OpenStore();
        try
        {
            var plan = RunOperation("Planning retention", (_, ct) => Task.FromResult(store.Retention.Plan(DateTimeOffset.UtcNow, cancellationToken: ct)));
            foreach (var kind in plan.Skipped)
            {
                WriteWarning($"The retention policy limits {kind}, but this store cannot apply retention to them; they are kept.");
            }

            var accepted = new List<StoreRetentionPlanItem>();
            var whatIf = IsWhatIf();
            foreach (var item in plan.Databases)
            {
                var action = string.Create(CultureInfo.InvariantCulture,
                    $"Delete {item.Count} {item.Kind.ToString().ToLowerInvariant()} records dated before {item.Cutoff.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
                if (ShouldProcess($"{action} from {item.Database}.", $"{action} from {item.Database}?", "Invoke-ForgeRetention", out var reason))
                {
                    accepted.Add(item);
                }
                else if (reason == ShouldProcessReason.WhatIf)
                {
                    whatIf = true;
                }
            }

            if (whatIf)
            {
                WriteObject(plan);
                return;
            }

            var result = RunOperation("Applying retention", (_, ct) =>
                Task.FromResult(store.Retention.Apply(plan with { Databases = accepted }, BatchSize, ct)));
            WriteObject(result);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, store.Path);
        }
    }

    private void ApplyRepositoryPolicy()
    {
        string location = Repository;
        Core.Repository.Repository? repository = null;
        try
        {
            location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ForgeEnvironment.ResolveLocation(Repository));
            using (var credentials = CredentialReader.Require(Credential, KeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile)))
            {
                repository = RunOperation("Opening repository", (_, ct) =>
                    Core.Repository.Repository.OpenAsync(ForgeEnvironment.OpenBackend(location), credentials, ct));
            }

            var plan = RunOperation("Planning retention", (_, ct) => SnapshotForgetter.PlanAsync(repository, null, ct));

            // Asked here, before the repository is locked: a -Confirm prompt must not hold the exclusive lock.
            var accepted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var decision in plan.Removed)
            {
                var action = string.Create(CultureInfo.InvariantCulture,
                    $"Remove snapshot {decision.Id[..8]} of {decision.Snapshot.Host} from {decision.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({decision.Group}), which policy '{plan.Policy}' no longer keeps");
                if (ShouldProcess($"{action}.", $"{action}?", "Invoke-ForgeRetention"))
                {
                    accepted.Add(decision.Id);
                }
            }

            var pruneApproved = Prune && ShouldProcess(location, "Remove the data no snapshot references (prune)");
            if (IsWhatIf())
            {
                WriteObject(plan.Decisions, enumerateCollection: true);
                return;
            }

            var forgotten = RunOperation("Removing snapshots", (_, ct) => SnapshotForgetter.ForgetAsync(repository, plan, decision => accepted.Contains(decision.Id), ct));
            WriteObject(forgotten);
            if (pruneApproved)
            {
                var options = new PruneOptions { RepackBelowUsage = RepackBelowUsage };
                WriteObject(RunOperation("Pruning", (progress, ct) => RepositoryPruner.PruneAsync(repository, options, progress, ct)));
            }
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is NotSupportedException or ForgeConfigException)
        {
            WriteItemError(ex, location);
        }
        finally
        {
            repository?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // A plan with nothing to delete asks nothing, so -WhatIf is read from the parameters (and the preference).
    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
            ? value is SwitchParameter { IsPresent: true } || value is true
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
}
