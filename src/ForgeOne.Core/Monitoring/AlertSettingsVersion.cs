namespace ForgeOne.Core.Monitoring;

/// <summary>One stored version of a repository's alert settings; <see cref="Settings"/> null means alerts are off.</summary>
public sealed record AlertSettingsVersion
{
    /// <summary>The version number, from 1.</summary>
    public required long Version { get; init; }

    /// <summary>The settings, or null when alerts were turned off.</summary>
    public AlertSettings? Settings { get; init; }

    /// <summary>Who changed them.</summary>
    public required string ChangedBy { get; init; }

    /// <summary>When (UTC).</summary>
    public required DateTimeOffset ChangedAt { get; init; }
}
