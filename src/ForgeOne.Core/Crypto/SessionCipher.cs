using System.Security.Cryptography;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// One envelope session: its salt, its derived AES-256 key and a pool of <see cref="AesGcm"/> instances
/// keyed with it. Shared by the threads sealing or opening that session's objects.
/// </summary>
/// <remarks>
/// <para><see cref="AesGcm"/> is not thread-safe, and creating one per call costs about 1 µs (measured: 1.8 µs
/// versus 0.8 µs to seal 64 bytes), which doubles the cost of small objects; hence the pool.</para>
/// <para>Lifetime is reference counted: the owner (a sealer's current session, or an opener's cache entry)
/// holds one reference and every call holds another while it uses a pooled instance. The key is zeroed and
/// the instances disposed when the last reference goes, so retiring a session never pulls a key from
/// under a thread still using it.</para>
/// </remarks>
internal sealed class SessionCipher
{
    private readonly byte[] _key = GC.AllocateUninitializedArray<byte>(32, pinned: true);
    private readonly byte[] _session = new byte[Envelope.SessionLength];
    private readonly Stack<AesGcm> _pool = new();
    private readonly int _maxPooled = Math.Max(2, Environment.ProcessorCount);
    private int _references = 1;

    // Seals performed under this session; the sealer rolls to a new session past its limit.
    private long _seals;

    public SessionCipher(ReadOnlySpan<byte> purposeKey, ReadOnlySpan<byte> session)
    {
        session.CopyTo(_session);
        Envelope.DeriveSessionKey(purposeKey, session, _key);
    }

    public ReadOnlySpan<byte> Session => _session;

    /// <summary>Counts one more seal and returns the new count.</summary>
    public long CountSeal() => Interlocked.Increment(ref _seals);

    /// <summary>Takes a reference; false when the session is already destroyed.</summary>
    public bool TryAcquire()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Drops a reference; the last one zeroes the key and disposes the pooled instances.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        lock (_pool)
        {
            while (_pool.TryPop(out var aes))
            {
                aes.Dispose();
            }

            CryptographicOperations.ZeroMemory(_key);
        }
    }

    /// <summary>Rents an instance keyed with this session's key. Call only while holding a reference.</summary>
    public AesGcm Rent()
    {
        lock (_pool)
        {
            if (_pool.TryPop(out var aes))
            {
                return aes;
            }
        }

        return new AesGcm(_key, Envelope.TagLength);
    }

    /// <summary>Returns an instance from <see cref="Rent"/>. Call before releasing the reference.</summary>
    public void Return(AesGcm aes)
    {
        lock (_pool)
        {
            if (_pool.Count < _maxPooled)
            {
                _pool.Push(aes);
                return;
            }
        }

        aes.Dispose();
    }
}
