using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using ForgeOne.Core.Compression;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Opens objects sealed by <see cref="ObjectSealer"/> under the same purpose key, checking that each one
/// is authentic and belongs where the caller found it (its kind and id).
/// </summary>
/// <remarks>
/// <para>Session keys are derived once per session salt and cached (up to 64 sessions, oldest evicted
/// first), so opening many objects of one writer session costs one key derivation.</para>
/// <para>Failures, in the order they are checked: shorter than one byte, or than
/// <see cref="Envelope.Overhead"/> once version and algorithm are known, is a
/// <see cref="TruncatedObjectException"/>; an unknown version, algorithm or codec is an
/// <see cref="UnsupportedFormatException"/>; a tag that does not verify is an
/// <see cref="ObjectAuthenticationException"/>; plaintext above the caller's limit is an
/// <see cref="ObjectTooLargeException"/>; an authentic body that does not decompress is a
/// <see cref="MalformedObjectException"/>.</para>
/// <para>zstd bodies are decoded by <see cref="ChunkCompressor.TryDecompress"/>, rented from a
/// <see cref="CompressorPool"/>, with the caller's limit as the destination: the same bounded decompression
/// as for chunks.</para>
/// <para><b>Thread-safety:</b> all members except <see cref="Dispose"/> may be called from any number of
/// threads at once.</para>
/// </remarks>
public sealed class ObjectOpener : IDisposable
{
    private const int DefaultSessionCacheCapacity = 64;

    private readonly byte[] _key = GC.AllocateUninitializedArray<byte>(32, pinned: true);
    private readonly CompressorPool _decompressors = new();
    private readonly int _cacheCapacity;
    private readonly Dictionary<UInt128, SessionCipher> _sessions = [];
    private readonly Queue<UInt128> _sessionOrder = new();
    private bool _disposed;

    /// <summary>Creates an opener for objects sealed under <paramref name="key"/>.</summary>
    /// <param name="key">The 32-byte purpose key the objects were sealed with. Copied.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public ObjectOpener(ReadOnlySpan<byte> key)
        : this(key, DefaultSessionCacheCapacity)
    {
    }

    /// <summary>Test seam: another cache size, so tests can force evictions.</summary>
    internal ObjectOpener(ReadOnlySpan<byte> key, int sessionCacheCapacity)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException($"An envelope key is 32 bytes, not {key.Length}.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sessionCacheCapacity, 1);
        key.CopyTo(_key);
        _cacheCapacity = sessionCacheCapacity;
    }

    /// <summary>Number of session keys currently cached; for tests.</summary>
    internal int CachedSessionCount
    {
        get
        {
            lock (_sessions)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Opens a sealed object into a new array.</summary>
    /// <param name="kind">The kind the caller expects; must match the one it was sealed as.</param>
    /// <param name="id">The id the caller expects; must match the one it was sealed as.</param>
    /// <param name="envelope">The sealed object.</param>
    /// <param name="maxPlaintextLength">Largest plaintext accepted; caps decompression.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="TruncatedObjectException">The object is too short to be valid.</exception>
    /// <exception cref="UnsupportedFormatException">Unknown envelope version, algorithm or codec.</exception>
    /// <exception cref="ObjectAuthenticationException">Tampered, relabelled, or sealed under another key.</exception>
    /// <exception cref="ObjectTooLargeException">The plaintext exceeds <paramref name="maxPlaintextLength"/>.</exception>
    /// <exception cref="MalformedObjectException">The authentic body does not decompress.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is longer than <see cref="Envelope.MaxIdLength"/>.</exception>
    /// <exception cref="ObjectDisposedException">The opener was disposed.</exception>
    public byte[] Open(ObjectKind kind, ReadOnlySpan<byte> id, ReadOnlySpan<byte> envelope, int maxPlaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPlaintextLength);
        var inner = Decrypt(kind, id, envelope, out var innerLength);
        byte[]? output = null;
        try
        {
            var body = inner.AsSpan(1, innerLength - 1);
            if (inner[0] == Envelope.CodecStored)
            {
                if (body.Length > maxPlaintextLength)
                {
                    throw new ObjectTooLargeException(kind, ObjectNames.ToHex(id), maxPlaintextLength);
                }

                return body.ToArray();
            }

            RequireKnownCodec(inner[0], kind, id);

            // Decode into no more than the frame's declared size, capped at the limit: a frame that does not fit
            // there decodes to more than the limit (ChunkCompressor.TryDecompress throws if the header lies).
            var capacity = GetDecompressedCapacity(body, maxPlaintextLength, kind, id);
            output = ArrayPool<byte>.Shared.Rent(capacity);
            if (!TryDecompress(body, output.AsSpan(0, capacity), kind, id, out var written))
            {
                throw new ObjectTooLargeException(kind, ObjectNames.ToHex(id), maxPlaintextLength);
            }

            return output.AsSpan(0, written).ToArray();
        }
        finally
        {
            ReturnCleared(inner, innerLength);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output, clearArray: true);
            }
        }
    }

    /// <summary>Opens a sealed object into <paramref name="destination"/>, whose length is the limit.</summary>
    /// <param name="kind">The kind the caller expects; must match the one it was sealed as.</param>
    /// <param name="id">The id the caller expects; must match the one it was sealed as.</param>
    /// <param name="envelope">The sealed object. It is decrypted into a separate buffer first, so it may overlap
    /// <paramref name="destination"/>.</param>
    /// <param name="destination">Receives the plaintext; its length caps decompression.</param>
    /// <returns>Plaintext bytes written to the start of <paramref name="destination"/>.</returns>
    /// <exception cref="TruncatedObjectException">The object is too short to be valid.</exception>
    /// <exception cref="UnsupportedFormatException">Unknown envelope version, algorithm or codec.</exception>
    /// <exception cref="ObjectAuthenticationException">Tampered, relabelled, or sealed under another key.</exception>
    /// <exception cref="ObjectTooLargeException">The plaintext is longer than <paramref name="destination"/>.</exception>
    /// <exception cref="MalformedObjectException">The authentic body does not decompress.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is too long.</exception>
    /// <exception cref="ObjectDisposedException">The opener was disposed.</exception>
    public int Open(ObjectKind kind, ReadOnlySpan<byte> id, ReadOnlySpan<byte> envelope, Span<byte> destination)
    {
        var inner = Decrypt(kind, id, envelope, out var innerLength);
        try
        {
            var body = inner.AsSpan(1, innerLength - 1);
            if (inner[0] == Envelope.CodecStored)
            {
                if (body.Length > destination.Length)
                {
                    throw new ObjectTooLargeException(kind, ObjectNames.ToHex(id), destination.Length);
                }

                body.CopyTo(destination);
                return body.Length;
            }

            RequireKnownCodec(inner[0], kind, id);
            if (!TryDecompress(body, destination, kind, id, out var written))
            {
                throw new ObjectTooLargeException(kind, ObjectNames.ToHex(id), destination.Length);
            }

            return written;
        }
        finally
        {
            ReturnCleared(inner, innerLength);
        }
    }

    /// <summary>Zeroes the key and every cached session key. Do not call while other threads are opening.</summary>
    public void Dispose()
    {
        lock (_sessions)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var session in _sessions.Values)
            {
                session.Release();
            }

            _sessions.Clear();
            _sessionOrder.Clear();
            CryptographicOperations.ZeroMemory(_key);
        }

        _decompressors.Dispose();
    }

    /// <summary>Checks the header, then decrypts <c>codec || body</c> into a pooled buffer.</summary>
    private byte[] Decrypt(ObjectKind kind, ReadOnlySpan<byte> id, ReadOnlySpan<byte> envelope, out int innerLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (id.Length > Envelope.MaxIdLength)
        {
            throw new ArgumentException($"An object id is at most {Envelope.MaxIdLength} bytes, not {id.Length}.", nameof(id));
        }

        // Version first: a future version may have another header, so its length says nothing yet.
        if (envelope.Length < 1)
        {
            throw new TruncatedObjectException(kind, ObjectNames.ToHex(id), envelope.Length, Envelope.Overhead);
        }

        if (envelope[0] != Envelope.Version)
        {
            throw new UnsupportedFormatException(
                kind, ObjectNames.ToHex(id), "envelope version", envelope[0].ToString(CultureInfo.InvariantCulture), "1");
        }

        if (envelope.Length >= 2 && envelope[1] != Envelope.AlgorithmAes256GcmSession)
        {
            throw new UnsupportedFormatException(
                kind, ObjectNames.ToHex(id), "envelope algorithm", envelope[1].ToString(CultureInfo.InvariantCulture),
                "1 (AES-256-GCM with per-session keys)");
        }

        if (envelope.Length < Envelope.Overhead)
        {
            throw new TruncatedObjectException(kind, ObjectNames.ToHex(id), envelope.Length, Envelope.Overhead);
        }

        innerLength = envelope.Length - Envelope.HeaderLength - Envelope.TagLength;
        var ciphertext = envelope.Slice(Envelope.HeaderLength, innerLength);
        var tag = envelope[^Envelope.TagLength..];
        var nonce = envelope.Slice(Envelope.NonceOffset, Envelope.NonceLength);

        var aadLength = Envelope.GetAadLength(id.Length);
        byte[]? rentedAad = null;
        var aad = aadLength <= 256 ? stackalloc byte[aadLength] : (rentedAad = ArrayPool<byte>.Shared.Rent(aadLength));
        aad = aad[..aadLength];
        Envelope.WriteAad(kind, id, envelope, aad);

        var session = AcquireSession(envelope.Slice(Envelope.SessionOffset, Envelope.SessionLength));
        var aes = session.Rent();
        var inner = ArrayPool<byte>.Shared.Rent(innerLength);
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, inner.AsSpan(0, innerLength), aad);
            return inner;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            // AesGcm already zeroed the output; the buffer holds no plaintext.
            ArrayPool<byte>.Shared.Return(inner);
            throw new ObjectAuthenticationException(kind, ObjectNames.ToHex(id), ex);
        }
        finally
        {
            session.Return(aes);
            session.Release();
            if (rentedAad is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedAad);
            }
        }
    }

    /// <summary>Finds or derives the session's cipher and takes a reference to it.</summary>
    private SessionCipher AcquireSession(ReadOnlySpan<byte> salt)
    {
        var cacheKey = new UInt128(
            BinaryPrimitives.ReadUInt64LittleEndian(salt), BinaryPrimitives.ReadUInt64LittleEndian(salt[8..]));
        lock (_sessions)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_sessions.TryGetValue(cacheKey, out var session))
            {
                if (_sessions.Count >= _cacheCapacity)
                {
                    // Drop the oldest; threads still using it hold their own references.
                    var oldest = _sessionOrder.Dequeue();
                    _sessions.Remove(oldest, out var evicted);
                    evicted!.Release();
                }

                session = new SessionCipher(_key, salt);
                _sessions.Add(cacheKey, session);
                _sessionOrder.Enqueue(cacheKey);
            }

            // Under the lock, the cache's own reference keeps the count above zero.
            session.TryAcquire();
            return session;
        }
    }

    private static void RequireKnownCodec(byte codec, ObjectKind kind, ReadOnlySpan<byte> id)
    {
        if (codec != Envelope.CodecZstd)
        {
            throw new UnsupportedFormatException(
                kind, ObjectNames.ToHex(id), "compression codec", codec.ToString(CultureInfo.InvariantCulture),
                "0 (stored) and 1 (zstd)");
        }
    }

    private static int GetDecompressedCapacity(ReadOnlySpan<byte> body, int limit, ObjectKind kind, ReadOnlySpan<byte> id)
    {
        try
        {
            return ChunkCompressor.GetDecompressedCapacity(body, limit);
        }
        catch (InvalidDataException ex)
        {
            throw new MalformedObjectException(kind, ObjectNames.ToHex(id), "its authentic zstd body has no valid frame header", ex);
        }
    }

    private bool TryDecompress(ReadOnlySpan<byte> body, Span<byte> destination, ObjectKind kind, ReadOnlySpan<byte> id, out int written)
    {
        var decompressor = _decompressors.Rent();
        try
        {
            return decompressor.TryDecompress(body, destination, out written);
        }
        catch (InvalidDataException ex)
        {
            throw new MalformedObjectException(kind, ObjectNames.ToHex(id), "its authentic zstd body does not decompress", ex);
        }
        finally
        {
            _decompressors.Return(decompressor);
        }
    }

    private static void ReturnCleared(byte[] buffer, int used)
    {
        // Plaintext (possibly a wrapped master key) must not linger in the shared pool.
        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, used));
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
