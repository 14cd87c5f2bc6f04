namespace ForgeOne.Core.Evidence;

/// <summary>What an evidence package covers.</summary>
public sealed record EvidenceOptions
{
    /// <summary>The zip file to write (written whole under a temporary name, then renamed).</summary>
    public required string Path { get; init; }

    /// <summary>Start of the period (UTC); null for 90 days before <see cref="To"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the period (UTC); null for now.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The frameworks to map; default all.</summary>
    public ComplianceFramework Frameworks { get; init; } = ComplianceFramework.All;

    /// <summary>The recovery point objective the backup timeline is drawn against; null for none.</summary>
    public TimeSpan? RpoObjective { get; init; }

    /// <summary>
    /// Objects to include besides what the repository records, for example the output of Test-ForgeSnapshot,
    /// Test-ForgeRepository or Invoke-ForgeDrDrill piped in.
    /// </summary>
    public IReadOnlyList<object> Items { get; init; } = [];

    /// <summary>Replace an existing file at <see cref="Path"/>.</summary>
    public bool Force { get; init; }
}
