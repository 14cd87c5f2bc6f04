using System.Management.Automation;
using ForgeOne.Core.Store.Retention;

namespace ForgeOne.Commands;

/// <summary>Sets how long a store keeps its log entries, events and blobs.</summary>
/// <remarks>
/// <para>The retention policy is a maximum age per kind of record: log entries and events by their timestamp, blobs
/// by when they were added. Set-ForgeRetentionPolicy changes the ages you give and keeps the others as they were;
/// -KeepForever removes the limit of the kinds it names. The policy is kept as a versioned store setting, so every
/// change is recorded with who made it and when. Setting a policy deletes nothing: Invoke-ForgeRetention does, and
/// -WhatIf there shows what would go first.</para>
/// <para>The output is the policy now in force (StoreRetentionPolicy).</para>
/// </remarks>
/// <example>
/// <code>Set-ForgeRetentionPolicy -Store ./store -KeyFile ./store.key -Logs 30.00:00:00 -Events 7.00:00:00</code>
/// <para>Keeps log entries for 30 days and events for 7, leaving blobs as they were.</para>
/// </example>
/// <example>
/// <code>Set-ForgeRetentionPolicy -Blobs ([TimeSpan]::FromDays(365)) -KeepForever Logs</code>
/// <para>Keeps blobs of the store named by FORGE_STORE for a year and log entries forever.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "ForgeRetentionPolicy", DefaultParameterSetName = StoreSet, SupportsShouldProcess = true)]
[OutputType(typeof(StoreRetentionPolicy))]
public sealed class SetForgeRetentionPolicyCommand : ForgeStoreCmdlet
{
    private const string StoreSet = "Store";

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

    private static string Describe(StoreRetentionPolicy policy) =>
        $"logs {Age(policy.Logs)}, events {Age(policy.Events)}, blobs {Age(policy.Blobs)}";

    private static string Age(TimeSpan? age) =>
        age is { } value ? value.ToString("c", System.Globalization.CultureInfo.InvariantCulture) : "forever";
}
