namespace ForgeOne.Core.Store.Rotation;

/// <summary>What a run of <see cref="StoreKeyRotation.Run"/> did.</summary>
/// <param name="Epoch">The key epoch records were re-sealed under.</param>
/// <param name="RecordsResealed">Records re-sealed by this run (not counting earlier, interrupted runs).</param>
/// <param name="Databases">Database files walked.</param>
/// <param name="Resumed">True when this run continued a rotation started earlier instead of adding an epoch.</param>
/// <param name="Completed">
/// True when no record of the store is sealed under an older epoch any more and the rotation is finished. False
/// when records kept arriving under the old epoch (see <see cref="RecordsRemaining"/>); run again.
/// </param>
/// <param name="RecordsRemaining">Records still sealed under an older epoch when the run ended; 0 when completed.</param>
/// <param name="Duration">How long the run took.</param>
public sealed record StoreKeyRotationResult(
    int Epoch,
    long RecordsResealed,
    int Databases,
    bool Resumed,
    bool Completed,
    long RecordsRemaining,
    TimeSpan Duration);
