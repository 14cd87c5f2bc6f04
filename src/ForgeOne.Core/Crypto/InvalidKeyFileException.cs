namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when a key file is not a ForgeOne key file: it must hold exactly <see cref="KeyFile.Size"/> bytes.
/// </summary>
/// <remarks>
/// A key file of the right size that opens no slot is a <see cref="WrongCredentialsException"/> instead.
/// A missing or unreadable file surfaces as the platform's <see cref="IOException"/>.
/// </remarks>
public sealed class InvalidKeyFileException : KeyException
{
    /// <summary>Creates the exception for the key file at <paramref name="path"/>.</summary>
    /// <param name="path">Path of the offending file.</param>
    /// <param name="length">Its length in bytes.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public InvalidKeyFileException(string path, long length, Exception? innerException = null)
        : base(
            $"Key file '{path}' is {length} bytes, but a ForgeOne key file is exactly {KeyFile.Size} bytes. " +
            "Check the path, or create a key file with New-ForgeKeyFile / forge key generate.",
            innerException)
    {
        Path = path;
        Length = length;
    }

    /// <summary>Path of the offending file.</summary>
    public string Path { get; }

    /// <summary>Length of the file in bytes.</summary>
    public long Length { get; }
}
