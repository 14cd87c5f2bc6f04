namespace ForgeOne.Core.Drills;

/// <summary>One check of a disaster-recovery drill and its outcome.</summary>
/// <param name="Name">What was checked, for example <c>restore</c>, <c>dna</c>, <c>integrity logs_shard_0.redb</c>, <c>rto</c>.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What was found, in a sentence.</param>
public sealed record DrDrillCheck(string Name, bool Passed, string Detail);
