namespace ForgeOne.Cli.Commands;

/// <summary>What <c>forge store forget-subject --json</c> prints.</summary>
/// <param name="KeyRemoved">True when the subject had a key and it was deleted; false when it had none (the erasure is recorded either way).</param>
internal sealed record SubjectErasure(bool KeyRemoved);
