namespace ForgeOne.Core.Restore;

/// <summary>A file a restore did not write, and why.</summary>
/// <param name="Path">The path in the snapshot, '/'-separated.</param>
/// <param name="Reason">What happened, for a person.</param>
/// <param name="Exception">The failure, when it was one (not for files skipped because they exist).</param>
public sealed record RestoreProblem(string Path, string Reason, Exception? Exception);
