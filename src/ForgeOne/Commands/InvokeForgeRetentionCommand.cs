using System.Globalization;
using System.Management.Automation;
using ForgeOne.Core.Store.Retention;

namespace ForgeOne.Commands;

/// <summary>Deletes a store's records that are older than its retention policy allows.</summary>
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
[Cmdlet(VerbsLifecycle.Invoke, "ForgeRetention", DefaultParameterSetName = StoreSet, SupportsShouldProcess = true)]
[OutputType(typeof(StoreRetentionResult), typeof(StoreRetentionPlan))]
public sealed class InvokeForgeRetentionCommand : ForgeStoreCmdlet
{
    private const string StoreSet = "Store";

    /// <summary>Records deleted per transaction, 1 to 100000; default 1000. Smaller batches make writers wait less.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [ValidateRange(1, 100_000)]
    public int BatchSize { get; set; } = StoreRetention.DefaultBatchSize;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
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

    // A plan with nothing to delete asks nothing, so -WhatIf is read from the parameters (and the preference).
    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
            ? value is SwitchParameter { IsPresent: true } || value is true
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
}
