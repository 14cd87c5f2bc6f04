namespace ForgeOne.Core.Evidence;

/// <summary>Something wrong with an evidence package: which file (or record) and why.</summary>
/// <param name="File">The file inside the package, for example <c>snapshots.csv</c> or <c>manifest.json</c>.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record EvidenceProblem(string File, string Reason);
