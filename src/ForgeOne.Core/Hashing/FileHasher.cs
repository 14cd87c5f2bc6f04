using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Hashing;

/// <summary>Hashes files with BLAKE3 for <c>Get-ForgeHash</c> and <c>forge hash</c>.</summary>
public static class FileHasher
{
    /// <summary>The largest output length accepted, in bytes (BLAKE3 itself has no limit).</summary>
    public const int MaxOutputLength = 1 << 20;

    /// <summary>Hashes <paramref name="path"/>, keyed when <paramref name="key"/> is given.</summary>
    /// <param name="path">A file system path to a regular file.</param>
    /// <param name="key">Empty for plain hashing, else exactly 32 bytes for BLAKE3's keyed mode.</param>
    /// <param name="outputLength">Bytes of output (BLAKE3 is extendable); 32 by default.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes or the length is out of range.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static FileHash Hash(string path, ReadOnlySpan<byte> key = default, int outputLength = Blake3.HashSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!key.IsEmpty && key.Length != Blake3.KeySize)
        {
            throw new ArgumentException($"A BLAKE3 key is exactly {Blake3.KeySize} bytes; this one has {key.Length}.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(outputLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputLength, MaxOutputLength);

        var hash = Blake3.HashFile(path, key, outputLength);
        return new FileHash(key.IsEmpty ? "BLAKE3" : "BLAKE3-KEYED", ObjectNames.ToHex(hash), path);
    }
}
