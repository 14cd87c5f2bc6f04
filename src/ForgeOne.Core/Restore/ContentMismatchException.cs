using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Restore;

/// <summary>
/// A file rebuilt from its chunks does not have the content hash its snapshot recorded: every chunk opened and
/// authenticated, but they are not the file's chunks (a damaged tree, or a bug). The file never gets its final name.
/// </summary>
public sealed class ContentMismatchException : IntegrityException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    public ContentMismatchException(string path, string expectedHash, string actualHash)
        : base($"'{path}' restored with BLAKE3 {actualHash[..16]}…, but the snapshot recorded {expectedHash[..16]}…; the file was not written. Run Test-ForgeSnapshot -ReadData (forge snapshot verify --read-data) to find the damage.", null, path)
    {
        Path = path;
        ExpectedHash = expectedHash;
        ActualHash = actualHash;
    }

    /// <summary>The file's path in the snapshot.</summary>
    public string Path { get; }

    /// <summary>The content hash the snapshot recorded.</summary>
    public string ExpectedHash { get; }

    /// <summary>The hash of what the chunks gave.</summary>
    public string ActualHash { get; }
}
