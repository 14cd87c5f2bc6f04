using System.Security.Cryptography;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// BLAKE3 (256-bit output) as a <see cref="HashAlgorithm"/>, for APIs that take one, such as
/// <see cref="CryptoStream"/>. Prefer <see cref="Blake3"/> or <see cref="Blake3Hasher"/> elsewhere.
/// </summary>
public sealed class Blake3HashAlgorithm : HashAlgorithm
{
    private readonly Blake3Hasher _hasher;

    /// <summary>Creates the unkeyed BLAKE3 hash.</summary>
    public Blake3HashAlgorithm()
        : this(Blake3Hasher.Create())
    {
    }

    /// <summary>Creates the keyed BLAKE3 hash (a message authentication code).</summary>
    /// <param name="key">Exactly <see cref="Blake3.KeySize"/> (32) secret bytes; a copy is kept.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes long.</exception>
    public Blake3HashAlgorithm(byte[] key)
        : this(Blake3Hasher.CreateKeyed(key ?? throw new ArgumentNullException(nameof(key))))
    {
    }

    internal Blake3HashAlgorithm(Blake3Hasher hasher)
    {
        _hasher = hasher;
        HashSizeValue = Blake3.HashSize * 8;
    }

    /// <summary>Discards all input so the instance can hash another message.</summary>
    public override void Initialize() => _hasher.Reset();

    /// <inheritdoc/>
    protected override void HashCore(byte[] array, int ibStart, int cbSize) => _hasher.Update(array.AsSpan(ibStart, cbSize));

    /// <inheritdoc/>
    protected override void HashCore(ReadOnlySpan<byte> source) => _hasher.Update(source);

    /// <inheritdoc/>
    protected override byte[] HashFinal()
    {
        byte[] hash = new byte[Blake3.HashSize];
        _hasher.Finalize(hash);
        return hash;
    }

    /// <inheritdoc/>
    protected override bool TryHashFinal(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < Blake3.HashSize)
        {
            bytesWritten = 0;
            return false;
        }

        _hasher.Finalize(destination[..Blake3.HashSize]);
        bytesWritten = Blake3.HashSize;
        return true;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hasher.Dispose();
        }

        base.Dispose(disposing);
    }
}
