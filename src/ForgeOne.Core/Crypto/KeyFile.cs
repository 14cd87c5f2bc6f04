using System.Security.Cryptography;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Creates and reads key files: exactly <see cref="Size"/> random bytes that unlock a
/// <see cref="KeySlotKind.KeyFile"/> key slot.
/// </summary>
/// <remarks>
/// The file itself is the secret, so it is created owner-only (mode 0600) on Unix from the first byte
/// written, never briefly world-readable. On Windows it inherits the folder's ACL; keep it in a folder only
/// its owner can read.
/// </remarks>
public static class KeyFile
{
    /// <summary>Length of a key file in bytes.</summary>
    public const int Size = 32;

    // Turns key file bytes into the slot's key-encryption key; part of the on-disk format.
    internal const string KekContext = "ForgeOne 2026-11-24 key file KEK v1";

    /// <summary>
    /// Writes a new key file of <see cref="Size"/> bytes from the operating system's CSPRNG: first to a
    /// temporary name beside <paramref name="path"/>, then moved into place.
    /// </summary>
    /// <param name="path">Where the key file goes. Its folder must exist.</param>
    /// <param name="force">Replace an existing file at <paramref name="path"/>. Without it an existing file
    /// is never touched.</param>
    /// <exception cref="KeyFileExistsException">The file exists and <paramref name="force"/> is false (the message
    /// says to pass -Force / --force).</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static void Generate(string path, bool force)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!force && File.Exists(fullPath))
        {
            throw AlreadyExists(path, innerException: null);
        }

        var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"Key file path '{path}' has no folder.", nameof(path));
        var tempPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Set at open(2) time, so no window exists in which other users could read the file.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        Span<byte> key = stackalloc byte[Size];
        RandomNumberGenerator.Fill(key);
        try
        {
            using (var stream = new FileStream(tempPath, options))
            {
                stream.Write(key);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, fullPath, overwrite: force);
        }
        catch (IOException ex) when (!force && File.Exists(fullPath))
        {
            // Someone created the file between the check and the move; theirs wins.
            TryDelete(tempPath);
            throw AlreadyExists(path, ex);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Reads a key file and checks that it holds exactly <see cref="Size"/> bytes.</summary>
    /// <param name="path">Path of the key file.</param>
    /// <returns>The key file's bytes; zero them with <see cref="CryptographicOperations.ZeroMemory"/> when done.</returns>
    /// <exception cref="InvalidKeyFileException">The file is not exactly <see cref="Size"/> bytes.</exception>
    /// <exception cref="FileNotFoundException">No file exists at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable by this user.</exception>
    public static byte[] Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = stream.Length;
        if (length != Size)
        {
            throw new InvalidKeyFileException(path, length);
        }

        var key = new byte[Size];
        try
        {
            stream.ReadExactly(key);
        }
        catch (EndOfStreamException ex)
        {
            // The file shrank while being read.
            throw new InvalidKeyFileException(path, stream.Position, ex);
        }

        return key;
    }

    /// <summary>Derives the key-encryption key for a key-file slot.</summary>
    internal static void DeriveKek(ReadOnlySpan<byte> keyFile, Span<byte> kek) => Blake3.DeriveKey(KekContext, keyFile, kek);

    private static KeyFileExistsException AlreadyExists(string path, Exception? innerException) => new(path, innerException);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp file holds a key nobody uses yet, and is owner-only.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
