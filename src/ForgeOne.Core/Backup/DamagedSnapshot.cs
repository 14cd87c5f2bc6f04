namespace ForgeOne.Core.Backup;

/// <summary>A snapshot object a listing skipped because it could not be read.</summary>
/// <param name="Id">The snapshot's id.</param>
/// <param name="Problem">Why it could not be read; the message says how to check the repository.</param>
public sealed record DamagedSnapshot(string Id, string Problem);
