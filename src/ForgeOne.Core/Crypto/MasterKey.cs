using System.Security.Cryptography;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// The repository's root secret: 32 random bytes from which every working key is derived, and which key
/// slots wrap. It never leaves memory in clear and is never printed.
/// </summary>
/// <remarks>
/// <para>Subkeys are <c>BLAKE3.derive_key(context(purpose), master)</c>, one fixed context per
/// <see cref="KeyPurpose"/>. Rotating credentials re-wraps this key in new slots; it never re-encrypts data.</para>
/// <para>The bytes live in a pinned array so the garbage collector never leaves copies behind, and are
/// zeroed by <see cref="Dispose"/>. Thread-safety: any number of threads may derive subkeys at once;
/// <see cref="Dispose"/> must not race with other calls.</para>
/// </remarks>
public sealed class MasterKey : IDisposable
{
    /// <summary>Length of the master key and of every derived subkey, in bytes.</summary>
    public const int Size = 32;

    private readonly byte[] _key;
    private bool _disposed;

    private MasterKey(ReadOnlySpan<byte> key)
    {
        _key = GC.AllocateUninitializedArray<byte>(Size, pinned: true);
        key.CopyTo(_key);
    }

    /// <summary>Creates a new master key from the operating system's CSPRNG.</summary>
    /// <returns>A key the caller must dispose.</returns>
    public static MasterKey Generate()
    {
        Span<byte> random = stackalloc byte[Size];
        RandomNumberGenerator.Fill(random);
        try
        {
            return new MasterKey(random);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }
    }

    /// <summary>Wraps existing key bytes, for example just unwrapped from a key slot.</summary>
    internal static MasterKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A master key is {Size} bytes, not {key.Length}.", nameof(key));
        }

        return new MasterKey(key);
    }

    /// <summary>The raw key, for wrapping into a key slot. Valid until <see cref="Dispose"/>.</summary>
    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>Returns the fixed BLAKE3 context string for <paramref name="purpose"/>.</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The context string, as documented on each <see cref="KeyPurpose"/> member.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purpose"/> is not a defined member.</exception>
    public static string GetContext(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.DataEncryption => "ForgeOne 2026-11-24 data encryption v1",
        KeyPurpose.ChunkId => "ForgeOne 2026-11-24 chunk id v1",
        KeyPurpose.ChunkerGear => "ForgeOne 2026-11-24 chunker gear v1",
        KeyPurpose.Index => "ForgeOne 2026-11-24 index v1",
        KeyPurpose.AuditSigning => "ForgeOne 2026-11-24 audit signing v1",
        KeyPurpose.StoreRecords => "ForgeOne 2026-11-24 store records v1",
        KeyPurpose.StoreIndex => "ForgeOne 2026-11-24 store index v1",
        KeyPurpose.SubjectVault => "ForgeOne 2026-11-24 subject vault v1",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown key purpose."),
    };

    /// <summary>Derives the 32-byte subkey for <paramref name="purpose"/>.</summary>
    /// <param name="purpose">What the key is for.</param>
    /// <returns>A new array; zero it with <see cref="CryptographicOperations.ZeroMemory"/> when done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purpose"/> is not a defined member.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] DeriveSubkey(KeyPurpose purpose)
    {
        var subkey = new byte[Size];
        DeriveSubkey(purpose, subkey);
        return subkey;
    }

    /// <summary>
    /// Derives key material for <paramref name="purpose"/> into <paramref name="destination"/>, filling it
    /// whole (BLAKE3 is an extendable-output function, so a chunker may take a whole gear table).
    /// </summary>
    /// <param name="purpose">What the key is for.</param>
    /// <param name="destination">Receives the subkey; 32 bytes for keys, any non-zero length for tables.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purpose"/> is not a defined member.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public void DeriveSubkey(KeyPurpose purpose, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("The destination for a subkey must not be empty.", nameof(destination));
        }

        var context = GetContext(purpose);
        Blake3.DeriveKey(context, Bytes, destination);
    }

    /// <summary>
    /// Creates a sealer under the subkey for <paramref name="purpose"/>; one per writer session.
    /// </summary>
    /// <param name="purpose">A sealing purpose: <see cref="KeyPurpose.DataEncryption"/>,
    /// <see cref="KeyPurpose.Index"/> or <see cref="KeyPurpose.StoreRecords"/>.</param>
    /// <param name="options">Compression settings; null for the defaults.</param>
    /// <returns>A sealer the caller must dispose.</returns>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> is not a sealing purpose; a MAC or
    /// chunking key must never double as an encryption key.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public ObjectSealer CreateSealer(KeyPurpose purpose, EnvelopeOptions? options = null)
    {
        Span<byte> subkey = stackalloc byte[Size];
        try
        {
            DeriveSubkey(RequireSealingPurpose(purpose), subkey);
            return new ObjectSealer(subkey, options);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
    }

    /// <summary>Creates an opener under the subkey for <paramref name="purpose"/>.</summary>
    /// <param name="purpose">A sealing purpose, as for <see cref="CreateSealer"/>.</param>
    /// <returns>An opener the caller must dispose.</returns>
    /// <exception cref="ArgumentException"><paramref name="purpose"/> is not a sealing purpose.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public ObjectOpener CreateOpener(KeyPurpose purpose)
    {
        Span<byte> subkey = stackalloc byte[Size];
        try
        {
            DeriveSubkey(RequireSealingPurpose(purpose), subkey);
            return new ObjectOpener(subkey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
    }

    /// <summary>Never shows the key.</summary>
    /// <returns>Always <c>MasterKey(****)</c>.</returns>
    public override string ToString() => "MasterKey(****)";

    /// <summary>Zeroes the key. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_key);
        }
    }

    private static KeyPurpose RequireSealingPurpose(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.DataEncryption or KeyPurpose.Index or KeyPurpose.StoreRecords or KeyPurpose.SubjectVault => purpose,
        _ => throw new ArgumentException(
            $"Key purpose {purpose} is not for sealing; use DataEncryption, Index or StoreRecords.", nameof(purpose)),
    };
}
