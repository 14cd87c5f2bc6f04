namespace ForgeOne.Core.Store.Keys;

/// <summary>
/// The outcome of erasing one data subject's key (<c>Remove-ForgeSubjectKey</c>): from <see cref="Time"/> on,
/// every field sealed under it, in the store and in its backups, reads back as erased.
/// </summary>
/// <param name="Subject">The data subject's id as given.</param>
/// <param name="Removed">True when the subject had a key and it was deleted; false when there was none (never used, or erased before).</param>
/// <param name="Time">When the erasure was done (UTC).</param>
public sealed record SubjectErasure(string Subject, bool Removed, DateTimeOffset Time);
