namespace ForgeOne.Core.Retention;

/// <summary>One stored version of a repository's retention policy: what it said, who set it and when.</summary>
public sealed record RetentionPolicyVersion
{
    /// <summary>The version number, from 1.</summary>
    public required long Version { get; init; }

    /// <summary>The policy.</summary>
    public required RetentionPolicy Policy { get; init; }

    /// <summary>Who set it.</summary>
    public required string ChangedBy { get; init; }

    /// <summary>When it was set (UTC).</summary>
    public required DateTimeOffset ChangedAt { get; init; }
}
