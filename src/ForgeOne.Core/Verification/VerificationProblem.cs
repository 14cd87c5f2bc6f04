namespace ForgeOne.Core.Verification;

/// <summary>One piece of damage, with what it affects: the snapshots and the file paths a user would lose.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="ObjectId">The blob, pack, tree or snapshot at fault (hex id).</param>
/// <param name="Message">What happened and what to do, for a person.</param>
/// <param name="Snapshots">Ids of the snapshots that need the object.</param>
/// <param name="Paths">Paths, in those snapshots, of the files and folders that need it.</param>
public sealed record VerificationProblem(ProblemKind Kind, string ObjectId, string Message, IReadOnlyList<string> Snapshots, IReadOnlyList<string> Paths);
