namespace ForgeOne.Core.Snapshots;

/// <summary>
/// Selects snapshots by host, path, tag and time, and optionally keeps only the newest few; every criterion left
/// null matches everything.
/// </summary>
/// <remarks>
/// Criteria combine with "and"; <see cref="Tag"/> items combine with "or". <see cref="Latest"/> applies last, to
/// what the other criteria kept. Times compare as instants, so the offset a caller uses does not matter.
/// </remarks>
public sealed record SnapshotFilter
{
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<string>? _tag;
    private readonly int? _latest;

    /// <summary>Keeps snapshots of this host, compared case-insensitively (host names are), or any host when null.</summary>
    public string? Host { get; init; }

    /// <summary>
    /// Keeps snapshots that backed up exactly this path (one of <see cref="Snapshot.Paths"/>, compared ordinally),
    /// or any when null. Front ends normalize what the user typed to the absolute form backups record.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>Keeps snapshots that carry at least one of these tags (ordinal); null or empty keeps any. Copied when set.</summary>
    public IReadOnlyList<string>? Tag
    {
        get => _tag;
        init => _tag = value is null ? null : Array.AsReadOnly(value.ToArray());
    }

    /// <summary>Keeps snapshots that started at or after this time, or any when null.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Keeps snapshots that started at or before this time, or any when null.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Keeps only the newest this many of the snapshots the other criteria kept, or all when null.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public int? Latest
    {
        get => _latest;
        init => _latest = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Latest), value, "Latest keeps at least one snapshot.");
    }

    /// <summary>Selects the matching snapshots.</summary>
    /// <param name="snapshots">The snapshots to choose from, in any order.</param>
    /// <returns>The matches, oldest first (by <see cref="Snapshot.Time"/>, then <see cref="Snapshot.Id"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshots"/> is null.</exception>
    public IEnumerable<Snapshot> Apply(IEnumerable<Snapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var matches = snapshots
            .Where(Matches)
            .OrderBy(s => s.Time)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        if (_latest is { } latest && matches.Count > latest)
        {
            matches.RemoveRange(0, matches.Count - latest);
        }

        return matches;
    }

    private bool Matches(Snapshot snapshot) =>
        (Host is null || string.Equals(snapshot.Host, Host, StringComparison.OrdinalIgnoreCase))
        && (Path is null || snapshot.Paths.Contains(Path, StringComparer.Ordinal))
        && (_tag is null || _tag.Count == 0 || snapshot.Tags.Any(t => _tag.Contains(t, StringComparer.Ordinal)))
        && (Since is null || snapshot.Time >= Since.Value)
        && (Until is null || snapshot.Time <= Until.Value);
}
