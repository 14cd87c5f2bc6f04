using System.Management.Automation;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Store.Retention;

namespace ForgeOne.Commands;

/// <summary>Sets how long a store keeps its log entries, events and blobs, or which snapshots a repository keeps.</summary>
/// <remarks>
/// <para>The retention policy is a maximum age per kind of record: log entries and events by their timestamp, blobs
/// by when they were added. Set-ForgeRetentionPolicy changes the ages you give and keeps the others as they were;
/// -KeepForever removes the limit of the kinds it names. The policy is kept as a versioned store setting, so every
/// change is recorded with who made it and when. Setting a policy deletes nothing: Invoke-ForgeRetention does, and
/// -WhatIf there shows what would go first.</para>
/// <para>The output is the policy now in force (StoreRetentionPolicy).</para>
/// <para>With -Repository, it stores a snapshot retention policy in the repository, so runbooks just call
/// Invoke-ForgeRetention -Repository. The rules are restic's: -KeepLast N newest snapshots; the newest of each of the
/// last N hours, days, ISO weeks, months and years that have snapshots (-KeepHourly, -KeepDaily, -KeepWeekly,
/// -KeepMonthly, -KeepYearly, in UTC); every snapshot within -KeepWithin of the group's newest. A snapshot any rule
/// keeps stays, and snapshots under legal hold (Set-ForgeLegalHold) always stay. Each group of snapshots (-GroupBy
/// Host, Paths, Tags or None; by default Host and Paths) is judged on its own. The rules given replace the whole
/// previous policy; every version is kept with who set it and when, and the output is the new version
/// (RetentionPolicyVersion). -Credential and -KeyFile then open the repository.</para>
/// </remarks>
/// <example>
/// <code>Set-ForgeRetentionPolicy -Store ./store -KeyFile ./store.key -Logs 30.00:00:00 -Events 7.00:00:00</code>
/// <para>Keeps log entries for 30 days and events for 7, leaving blobs as they were.</para>
/// </example>
/// <example>
/// <code>Set-ForgeRetentionPolicy -Blobs ([TimeSpan]::FromDays(365)) -KeepForever Logs</code>
/// <para>Keeps blobs of the store named by FORGE_STORE for a year and log entries forever.</para>
/// </example>
/// <example>
/// <code>Set-ForgeRetentionPolicy -Repository /backup/repo -KeyFile ./forge.key -KeepDaily 7 -KeepWeekly 4 -KeepMonthly 12 -KeepYearly 2</code>
/// <para>Keeps a week of dailies, a month of weeklies, a year of monthlies and two yearlies of each host and path set.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "ForgeRetentionPolicy", DefaultParameterSetName = StoreSet, SupportsShouldProcess = true)]
[OutputType(typeof(StoreRetentionPolicy), ParameterSetName = new[] { StoreSet })]
[OutputType(typeof(RetentionPolicyVersion), ParameterSetName = new[] { RepositorySet })]
public sealed class SetForgeRetentionPolicyCommand : ForgeStoreCmdlet
{
    private const string StoreSet = "Store";
    private const string RepositorySet = "Repository";

    /// <summary>Set the snapshot retention policy of this repository (its folder) instead of a store's.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RepositorySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Repository { get; set; } = "";

    /// <summary>With -Repository: keep the newest N snapshots of each group.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepLast { get; set; }

    /// <summary>With -Repository: keep the newest snapshot of each of the last N hours that have one.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepHourly { get; set; }

    /// <summary>With -Repository: keep the newest snapshot of each of the last N days that have one.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepDaily { get; set; }

    /// <summary>With -Repository: keep the newest snapshot of each of the last N ISO weeks that have one.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepWeekly { get; set; }

    /// <summary>With -Repository: keep the newest snapshot of each of the last N months that have one.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepMonthly { get; set; }

    /// <summary>With -Repository: keep the newest snapshot of each of the last N years that have one.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateRange(1, int.MaxValue)]
    public int? KeepYearly { get; set; }

    /// <summary>With -Repository: keep every snapshot taken within this long before the group's newest, for example 30d.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [DurationTransformation]
    public TimeSpan? KeepWithin { get; set; }

    /// <summary>With -Repository: what separates groups of snapshots, Host, Paths, Tags or None; by default Host and Paths.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [ValidateSet("Host", "Paths", "Tags", "None", IgnoreCase = true)]
    public string[] GroupBy { get; set; } = [];

    /// <summary>The oldest log entry to keep, for example 30.00:00:00 (30 days); must be positive.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    public TimeSpan? Logs { get; set; }

    /// <summary>The oldest event to keep; must be positive.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    public new TimeSpan? Events { get; set; }

    /// <summary>The oldest blob to keep, by when it was added; must be positive.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    public TimeSpan? Blobs { get; set; }

    /// <summary>Kinds to keep forever, removing their limit: Logs, Events, Blobs.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [ValidateSet("Logs", "Events", "Blobs")]
    public string[] KeepForever { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == RepositorySet)
        {
            SetRepositoryPolicy();
            return;
        }

        var store = OpenStore();
        try
        {
            var current = store.Retention.GetPolicy();
            var keep = new HashSet<string>(KeepForever, StringComparer.OrdinalIgnoreCase);
            var policy = new StoreRetentionPolicy
            {
                Logs = keep.Contains("Logs") ? null : Logs ?? current.Logs,
                Events = keep.Contains("Events") ? null : Events ?? current.Events,
                Blobs = keep.Contains("Blobs") ? null : Blobs ?? current.Blobs,
            };
            policy.Validate();
            if (ShouldProcess(store.Path, $"Set the retention policy to {Describe(policy)}"))
            {
                store.Retention.SetPolicy(policy, Environment.UserName);
                WriteObject(store.Retention.GetPolicy());
            }
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, store.Path);
        }
    }

    private void SetRepositoryPolicy()
    {
        string location = Repository;
        try
        {
            location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ForgeEnvironment.ResolveLocation(Repository));
            var grouping = GroupBy.Length == 0 ? SnapshotGrouping.Host | SnapshotGrouping.Paths : SnapshotGrouping.None;
            foreach (var name in GroupBy)
            {
                grouping |= Enum.Parse<SnapshotGrouping>(name, ignoreCase: true);
            }

            var policy = new RetentionPolicy
            {
                KeepLast = KeepLast,
                KeepHourly = KeepHourly,
                KeepDaily = KeepDaily,
                KeepWeekly = KeepWeekly,
                KeepMonthly = KeepMonthly,
                KeepYearly = KeepYearly,
                KeepWithin = KeepWithin,
                GroupBy = grouping,
            }.Validate();
            if (!ShouldProcess(location, $"Set the snapshot retention policy to {policy} (grouped by {grouping})"))
            {
                return;
            }

            using var credentials = CredentialReader.Require(Credential, KeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile));
            var version = RunOperation("Setting retention policy", async (_, ct) =>
            {
                await using var repository = await Core.Repository.Repository.OpenAsync(ForgeEnvironment.OpenBackend(location), credentials, ct).ConfigureAwait(false);
                return await new RepositoryPolicies(repository).SetRetentionPolicyAsync(policy, Environment.UserName, ct).ConfigureAwait(false);
            });
            WriteObject(version);
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is NotSupportedException or ForgeConfigException)
        {
            WriteItemError(ex, location);
        }
    }

    private static string Describe(StoreRetentionPolicy policy) =>
        $"logs {Age(policy.Logs)}, events {Age(policy.Events)}, blobs {Age(policy.Blobs)}";

    private static string Age(TimeSpan? age) =>
        age is { } value ? value.ToString("c", System.Globalization.CultureInfo.InvariantCulture) : "forever";
}
