using System.Buffers;
using System.Security.Cryptography;
using ForgeOne.Core.Compression;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Seals objects into the <see cref="Envelope"/> format under one purpose key. Create one per writer
/// session; several pipeline workers may share it.
/// </summary>
/// <remarks>
/// <para><b>Keys.</b> The long-lived purpose key never encrypts directly. The sealer draws a random 16-byte
/// session salt and encrypts under <c>BLAKE3.keyed_hash(purposeKey, "ForgeOne session v1" || salt)</c>.
/// After 2^32 seals it rolls to a fresh salt by itself, so one purpose key may seal an effectively unbounded
/// number of objects (see docs/design.md, "Nonce and key-usage bounds").</para>
/// <para><b>Nonces</b> are 96 random bits per object. With at most q = 2^32 objects per session key, the
/// chance that any two collide is at most q²/2^97 = 2^-33.</para>
/// <para><b>Compression</b> (zstd, <see cref="EnvelopeOptions"/>) runs before encryption. Whether it pays is
/// decided by <see cref="ChunkCompressor.TryCompress"/>, the same rule as for chunks: objects under 64 bytes
/// are not tried, objects over 64 KiB are sampled first, and a frame is kept only when it saves at least 1/32.</para>
/// <para><b>Thread-safety:</b> all members except <see cref="Dispose"/> may be called from any number of
/// threads at once; each call rents its own <see cref="AesGcm"/> instance and, when compressing, its own
/// <see cref="ChunkCompressor"/> from small pools.</para>
/// </remarks>
public sealed class ObjectSealer : IDisposable
{
    /// <summary>Seals per session key before the sealer rolls to a new session salt: 2^32.</summary>
    public const long SealsPerSession = 1L << 32;

    private readonly byte[] _key = GC.AllocateUninitializedArray<byte>(32, pinned: true);
    private readonly long _sealsPerSession;
    private readonly CompressorPool? _compressors;
    private readonly object _rollGate = new();
    private SessionCipher _current;
    private bool _disposed;

    /// <summary>Creates a sealer for a new session under <paramref name="key"/>.</summary>
    /// <param name="key">The 32-byte purpose key (for example from <see cref="MasterKey.DeriveSubkey(KeyPurpose)"/>
    /// or a key slot's KEK). Copied; the caller may zero its copy.</param>
    /// <param name="options">Compression settings; null for <see cref="EnvelopeOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public ObjectSealer(ReadOnlySpan<byte> key, EnvelopeOptions? options = null)
        : this(key, options, SealsPerSession)
    {
    }

    /// <summary>Test seam: a smaller session limit, so tests can cross a rollover.</summary>
    internal ObjectSealer(ReadOnlySpan<byte> key, EnvelopeOptions? options, long sealsPerSession)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException($"An envelope key is 32 bytes, not {key.Length}.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sealsPerSession, 1);
        options ??= EnvelopeOptions.Default;
        key.CopyTo(_key);
        _sealsPerSession = sealsPerSession;
        if (options.Compress)
        {
            _compressors = new CompressorPool(options.CompressionLevel);
        }

        _current = NewSession();
    }

    /// <summary>Seals <paramref name="plaintext"/> as object <paramref name="id"/> of kind <paramref name="kind"/>.</summary>
    /// <param name="kind">What the object is; bound into the associated data.</param>
    /// <param name="id">The object's id (for example its hash); bound into the associated data. May be empty.</param>
    /// <param name="plaintext">The object's contents.</param>
    /// <returns>A new array holding the sealed object.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is longer than <see cref="Envelope.MaxIdLength"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="plaintext"/> is longer than
    /// <see cref="Envelope.MaxPlaintextLength"/>.</exception>
    /// <exception cref="ObjectDisposedException">The sealer was disposed.</exception>
    public byte[] Seal(ObjectKind kind, ReadOnlySpan<byte> id, ReadOnlySpan<byte> plaintext)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Envelope.GetMaxSealedLength(plaintext.Length));
        try
        {
            var written = Seal(kind, id, plaintext, buffer);
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            // Only ciphertext is left in the buffer; no need to clear it.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> into <paramref name="destination"/> without allocating.
    /// </summary>
    /// <param name="kind">What the object is; bound into the associated data.</param>
    /// <param name="id">The object's id; bound into the associated data. May be empty.</param>
    /// <param name="plaintext">The object's contents; must not overlap <paramref name="destination"/>.</param>
    /// <param name="destination">At least <see cref="Envelope.GetMaxSealedLength"/> bytes.</param>
    /// <returns>Bytes written to the start of <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is too long, <paramref name="destination"/> is too
    /// short, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="plaintext"/> is longer than
    /// <see cref="Envelope.MaxPlaintextLength"/>.</exception>
    /// <exception cref="ObjectDisposedException">The sealer was disposed.</exception>
    public int Seal(ObjectKind kind, ReadOnlySpan<byte> id, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (id.Length > Envelope.MaxIdLength)
        {
            throw new ArgumentException($"An object id is at most {Envelope.MaxIdLength} bytes, not {id.Length}.", nameof(id));
        }

        var maxLength = Envelope.GetMaxSealedLength(plaintext.Length);
        if (destination.Length < maxLength)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; sealing {plaintext.Length} bytes needs {maxLength}.",
                nameof(destination));
        }

        if (plaintext.Overlaps(destination))
        {
            throw new ArgumentException("The plaintext and destination must not overlap.", nameof(destination));
        }

        // Compress straight into the body slot, which holds at least the plaintext's length, so the compressor
        // alone decides whether compression pays.
        var body = destination[(Envelope.HeaderLength + 1)..];
        int bodyLength;
        if (TryCompress(plaintext, body, out bodyLength))
        {
            destination[Envelope.HeaderLength] = Envelope.CodecZstd;
        }
        else
        {
            plaintext.CopyTo(body);
            bodyLength = plaintext.Length;
            destination[Envelope.HeaderLength] = Envelope.CodecStored;
        }

        destination[0] = Envelope.Version;
        destination[1] = Envelope.AlgorithmAes256GcmSession;
        RandomNumberGenerator.Fill(destination.Slice(Envelope.NonceOffset, Envelope.NonceLength));
        var inner = destination.Slice(Envelope.HeaderLength, 1 + bodyLength);
        var tag = destination.Slice(Envelope.HeaderLength + 1 + bodyLength, Envelope.TagLength);

        var session = AcquireSession();
        var aadLength = Envelope.GetAadLength(id.Length);
        byte[]? rentedAad = null;
        var aad = aadLength <= 256 ? stackalloc byte[aadLength] : (rentedAad = ArrayPool<byte>.Shared.Rent(aadLength));
        aad = aad[..aadLength];
        try
        {
            session.Session.CopyTo(destination.Slice(Envelope.SessionOffset, Envelope.SessionLength));
            Envelope.WriteAad(kind, id, destination, aad);
            var aes = session.Rent();
            try
            {
                // In place: AesGcm allows the plaintext and ciphertext to be the same span.
                aes.Encrypt(destination.Slice(Envelope.NonceOffset, Envelope.NonceLength), inner, inner, tag, aad);
            }
            finally
            {
                session.Return(aes);
            }
        }
        finally
        {
            session.Release();
            if (rentedAad is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedAad);
            }
        }

        return Envelope.HeaderLength + 1 + bodyLength + Envelope.TagLength;
    }

    /// <summary>Zeroes the keys. Do not call while other threads are sealing.</summary>
    public void Dispose()
    {
        lock (_rollGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _current.Release();
            CryptographicOperations.ZeroMemory(_key);
        }

        _compressors?.Dispose();
    }

    private bool TryCompress(ReadOnlySpan<byte> plaintext, Span<byte> body, out int written)
    {
        if (_compressors is null)
        {
            written = 0;
            return false;
        }

        var compressor = _compressors.Rent();
        try
        {
            return compressor.TryCompress(plaintext, body, out written);
        }
        finally
        {
            _compressors.Return(compressor);
        }
    }

    /// <summary>Returns the current session with a reference held, counting one seal against it.</summary>
    private SessionCipher AcquireSession()
    {
        while (true)
        {
            var session = Volatile.Read(ref _current);
            if (!session.TryAcquire())
            {
                // Retired by another thread between the read and the acquire; _current is already newer.
                ObjectDisposedException.ThrowIf(_disposed, this);
                continue;
            }

            if (session.CountSeal() <= _sealsPerSession)
            {
                return session;
            }

            session.Release();
            lock (_rollGate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (ReferenceEquals(_current, session))
                {
                    Volatile.Write(ref _current, NewSession());
                    session.Release();
                }
            }
        }
    }

    private SessionCipher NewSession()
    {
        Span<byte> salt = stackalloc byte[Envelope.SessionLength];
        RandomNumberGenerator.Fill(salt);
        return new SessionCipher(_key, salt);
    }
}
