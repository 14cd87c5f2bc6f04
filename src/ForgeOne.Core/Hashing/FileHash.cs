namespace ForgeOne.Core.Hashing;

/// <summary>The BLAKE3 hash of one file, shaped like PowerShell's <c>Get-FileHash</c> output.</summary>
/// <param name="Algorithm"><c>BLAKE3</c>, or <c>BLAKE3-KEYED</c> when a key was given.</param>
/// <param name="Hash">The hash as lowercase hex, as <c>b3sum</c> prints it.</param>
/// <param name="Path">The file system path that was hashed.</param>
public sealed record FileHash(string Algorithm, string Hash, string Path);
