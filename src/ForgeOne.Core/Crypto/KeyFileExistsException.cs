namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown by <see cref="KeyFile.Generate"/> when a file already exists at the path and replacing it was not asked
/// for: replacing a key file can lock its owner out of every repository it opens, so it is never done silently.
/// </summary>
public sealed class KeyFileExistsException : ForgeException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public KeyFileExistsException(string path, Exception? innerException = null)
        : base($"Key file '{path}' already exists; pass -Force / --force to replace it.", innerException)
    {
        Path = path;
    }

    /// <summary>The path that already exists.</summary>
    public string Path { get; }
}
