namespace ForgeOne.Core.Restore;

/// <summary>Where and what to restore.</summary>
public sealed record RestoreOptions
{
    /// <summary>The folder to restore into; created if missing.</summary>
    public required string Destination { get; init; }

    /// <summary>Globs of snapshot paths to restore (a folder includes everything in it); empty restores everything.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Globs of snapshot paths to leave out.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Replace files that already exist at the destination; without it they are left alone and reported.</summary>
    public bool Force { get; init; }

    /// <summary>Recompute the DNA of the restored tree and compare it with the snapshot's, when the destination started empty.</summary>
    public bool Verify { get; init; } = true;
}
