using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Retention;

/// <summary>What a retention policy decided for one snapshot, and why.</summary>
public sealed record RetentionDecision
{
    /// <summary>The snapshot.</summary>
    public required Snapshot Snapshot { get; init; }

    /// <summary>True when the snapshot stays.</summary>
    public required bool Keep { get; init; }

    /// <summary>
    /// The rules that keep it, for example <c>daily 2026-11-24</c>, <c>weekly 2026-W48</c>, <c>legal hold: case 42</c>;
    /// empty for a snapshot that goes.
    /// </summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The group the snapshot was judged in (host, paths and tags, as the policy groups).</summary>
    public required string Group { get; init; }

    /// <summary>The snapshot's id.</summary>
    public string Id => Snapshot.Id!;

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset Time => Snapshot.Time;
}
