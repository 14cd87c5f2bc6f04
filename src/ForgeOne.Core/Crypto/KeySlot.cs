using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// One way to unlock the repository: the <see cref="MasterKey"/> sealed under a key-encryption key (KEK)
/// derived from a passphrase (Argon2id) or a key file. Serialised as a small JSON document.
/// </summary>
/// <remarks>
/// <para>The wrapped key is an <see cref="Envelope"/> of kind <see cref="ObjectKind.KeySlot"/> whose id is the
/// slot's 8 id bytes, sealed under the KEK. Adding or removing slots changes credentials without touching
/// any data.</para>
/// <para>JSON fields (camelCase): <c>version</c> (1), <c>id</c> (16 hex digits), <c>kind</c>
/// (<c>"passphrase-argon2id"</c> or <c>"key-file"</c>), <c>created</c> (UTC ISO-8601), <c>host</c>,
/// <c>user</c>, <c>capabilities</c> (<c>["read","write"]</c>), <c>argon2</c> (passphrase slots:
/// <c>memoryKiB</c>, <c>iterations</c>, <c>parallelism</c>, <c>salt</c> in base64) and <c>wrapped</c> (base64
/// envelope). <c>writeOnlyPublicKey</c> is reserved for future write-only slots. Nothing secret is in clear;
/// <c>created</c>, <c>host</c> and <c>user</c> are informational and not authenticated.</para>
/// <para>Readers refuse unknown versions, kinds and capabilities, and the reserved field, with
/// <see cref="UnsupportedFormatException"/>; they refuse missing, duplicated or out-of-range fields with
/// <see cref="MalformedObjectException"/>.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class KeySlot
{
    /// <summary>The only key slot format version this build reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Largest key slot document accepted, in bytes; real slots are under 1 KiB.</summary>
    public const int MaxJsonLength = 64 * 1024;

    private const string KindPassphrase = "passphrase-argon2id";
    private const string KindKeyFile = "key-file";
    private const int SaltLength = 16;
    private const int IdLength = 8;

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 4 };

    private readonly byte[] _idBytes;
    private readonly byte[]? _salt;
    private readonly byte[] _wrapped;

    private KeySlot(
        byte[] idBytes, KeySlotKind kind, DateTimeOffset created, string host, string user,
        Argon2Parameters? argon2, byte[]? salt, byte[] wrapped)
    {
        _idBytes = idBytes;
        Id = ObjectNames.ToHex(idBytes);
        Kind = kind;
        Created = created;
        Host = host;
        User = user;
        Argon2 = argon2;
        _salt = salt;
        _wrapped = wrapped;
    }

    /// <summary>Random id of the slot: 16 lower-case hex digits.</summary>
    public string Id { get; }

    /// <summary>How the slot's KEK is obtained.</summary>
    public KeySlotKind Kind { get; }

    /// <summary>When the slot was created, UTC, to the second. Informational; not authenticated.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>Host name the slot was created on. Informational; not authenticated.</summary>
    public string Host { get; }

    /// <summary>User name the slot was created by. Informational; not authenticated.</summary>
    public string User { get; }

    /// <summary>What the slot's holder may do; always read and write in this version.</summary>
    public KeySlotCapabilities Capabilities { get; } = KeySlotCapabilities.Read | KeySlotCapabilities.Write;

    /// <summary>Argon2id costs for a passphrase slot; null for a key-file slot.</summary>
    public Argon2Parameters? Argon2 { get; }

    /// <summary>Wraps <paramref name="masterKey"/> under a passphrase.</summary>
    /// <param name="masterKey">The key to wrap.</param>
    /// <param name="passphrase">Not empty. Encoded as UTF-8 of its Unicode NFC form; the bytes are zeroed after use.</param>
    /// <param name="parameters">Argon2id costs; null for <see cref="Argon2Parameters.Default"/>.</param>
    /// <returns>The new slot; store it with <see cref="ToJson"/>.</returns>
    /// <exception cref="ArgumentException">The passphrase is empty or not encodable.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="masterKey"/> was disposed.</exception>
    public static KeySlot CreateForPassphrase(MasterKey masterKey, ReadOnlySpan<char> passphrase, Argon2Parameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        parameters ??= Argon2Parameters.Default;
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var kek = GC.AllocateUninitializedArray<byte>(32, pinned: true);
        try
        {
            DerivePassphraseKek(passphrase, parameters, salt, kek);
            return Create(masterKey, KeySlotKind.Passphrase, kek, parameters, salt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Wraps <paramref name="masterKey"/> under a key file's contents.</summary>
    /// <param name="masterKey">The key to wrap.</param>
    /// <param name="keyFile">The key file's <see cref="KeyFile.Size"/> bytes, as from <see cref="KeyFile.Read"/>.</param>
    /// <returns>The new slot; store it with <see cref="ToJson"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyFile"/> is not <see cref="KeyFile.Size"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="masterKey"/> was disposed.</exception>
    public static KeySlot CreateForKeyFile(MasterKey masterKey, ReadOnlySpan<byte> keyFile)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        RequireKeyFileSize(keyFile);
        Span<byte> kek = stackalloc byte[32];
        try
        {
            KeyFile.DeriveKek(keyFile, kek);
            return Create(masterKey, KeySlotKind.KeyFile, kek, argon2: null, salt: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Tries to unwrap the master key with a passphrase. Runs Argon2id, so takes its full cost.</summary>
    /// <param name="passphrase">The passphrase to try.</param>
    /// <param name="masterKey">The unwrapped key, which the caller must dispose; null on failure.</param>
    /// <returns>False when this is not a passphrase slot, or the passphrase is wrong, or the slot was tampered
    /// with (indistinguishable by design).</returns>
    /// <exception cref="ArgumentException">The passphrase is empty or not encodable.</exception>
    public bool TryUnlockWithPassphrase(ReadOnlySpan<char> passphrase, [NotNullWhen(true)] out MasterKey? masterKey)
    {
        masterKey = null;
        if (Kind != KeySlotKind.Passphrase)
        {
            return false;
        }

        var kek = GC.AllocateUninitializedArray<byte>(32, pinned: true);
        try
        {
            DerivePassphraseKek(passphrase, Argon2!, _salt!, kek);
            return TryUnwrap(kek, out masterKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Tries to unwrap the master key with a key file's contents.</summary>
    /// <param name="keyFile">The key file's <see cref="KeyFile.Size"/> bytes.</param>
    /// <param name="masterKey">The unwrapped key, which the caller must dispose; null on failure.</param>
    /// <returns>False when this is not a key-file slot, or the key file is wrong, or the slot was tampered with.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyFile"/> is not <see cref="KeyFile.Size"/> bytes.</exception>
    public bool TryUnlockWithKeyFile(ReadOnlySpan<byte> keyFile, [NotNullWhen(true)] out MasterKey? masterKey)
    {
        RequireKeyFileSize(keyFile);
        masterKey = null;
        if (Kind != KeySlotKind.KeyFile)
        {
            return false;
        }

        Span<byte> kek = stackalloc byte[32];
        try
        {
            KeyFile.DeriveKek(keyFile, kek);
            return TryUnwrap(kek, out masterKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Serialises the slot as indented UTF-8 JSON.</summary>
    /// <returns>The document; it holds no secret in clear.</returns>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("id", Id);
            writer.WriteString("kind", Kind == KeySlotKind.Passphrase ? KindPassphrase : KindKeyFile);
            writer.WriteString("created", Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("host", Host);
            writer.WriteString("user", User);
            writer.WriteStartArray("capabilities");
            writer.WriteStringValue("read");
            writer.WriteStringValue("write");
            writer.WriteEndArray();
            if (Argon2 is not null)
            {
                writer.WriteStartObject("argon2");
                writer.WriteNumber("memoryKiB", Argon2.MemoryKiB);
                writer.WriteNumber("iterations", Argon2.Iterations);
                writer.WriteNumber("parallelism", Argon2.Parallelism);
                writer.WriteBase64String("salt", _salt);
                writer.WriteEndObject();
            }

            writer.WriteBase64String("wrapped", _wrapped);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a slot written by <see cref="ToJson"/>, checking every field before anything uses it.</summary>
    /// <param name="json">The UTF-8 JSON document.</param>
    /// <returns>The slot.</returns>
    /// <exception cref="UnsupportedFormatException">Unknown version, kind or capability, or a write-only slot:
    /// a newer ForgeOne wrote it.</exception>
    /// <exception cref="MalformedObjectException">Not JSON, too large, or a field missing, duplicated, of the
    /// wrong type or out of range (including Argon2 costs above <see cref="Argon2Parameters.MaxMemoryKiB"/>).</exception>
    public static KeySlot Parse(ReadOnlySpan<byte> json) => KeySlotReader.Read(json);

    /// <summary>Names the slot without any secret.</summary>
    /// <returns>For example <c>KeySlot 3f2a91c07d1e4b60 (Passphrase)</c>.</returns>
    public override string ToString() => $"KeySlot {Id} ({Kind})";

    /// <summary>Builds a parsed slot; used by <see cref="KeySlotReader"/> after validation.</summary>
    internal static KeySlot FromParts(
        byte[] idBytes, KeySlotKind kind, DateTimeOffset created, string host, string user,
        Argon2Parameters? argon2, byte[]? salt, byte[] wrapped) =>
        new(idBytes, kind, created, host, user, argon2, salt, wrapped);

    internal static int WrappedLength => Envelope.Overhead + MasterKey.Size;

    internal static int IdByteLength => IdLength;

    internal static int SaltByteLength => SaltLength;

    internal static string KindName(KeySlotKind kind) => kind == KeySlotKind.Passphrase ? KindPassphrase : KindKeyFile;

    internal static KeySlotKind? KindFromName(string name) => name switch
    {
        KindPassphrase => KeySlotKind.Passphrase,
        KindKeyFile => KeySlotKind.KeyFile,
        _ => null,
    };

    internal static JsonDocumentOptions JsonOptions => ReaderOptions;

    private static KeySlot Create(MasterKey masterKey, KeySlotKind kind, ReadOnlySpan<byte> kek, Argon2Parameters? argon2, byte[]? salt)
    {
        var idBytes = RandomNumberGenerator.GetBytes(IdLength);
        byte[] wrapped;
        using (var sealer = new ObjectSealer(kek, new EnvelopeOptions { Compress = false }))
        {
            wrapped = sealer.Seal(ObjectKind.KeySlot, idBytes, masterKey.Bytes);
        }

        var now = DateTimeOffset.UtcNow;
        var created = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new KeySlot(idBytes, kind, created, Environment.MachineName, Environment.UserName, argon2, salt, wrapped);
    }

    private static void DerivePassphraseKek(ReadOnlySpan<char> passphrase, Argon2Parameters parameters, byte[] salt, byte[] kek)
    {
        var password = PassphraseEncoding.ToPinnedUtf8(passphrase);
        try
        {
            parameters.DeriveKey(password, salt, kek);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private static void RequireKeyFileSize(ReadOnlySpan<byte> keyFile)
    {
        if (keyFile.Length != KeyFile.Size)
        {
            throw new ArgumentException($"Key file contents are {KeyFile.Size} bytes, not {keyFile.Length}; read them with KeyFile.Read.", nameof(keyFile));
        }
    }

    private bool TryUnwrap(ReadOnlySpan<byte> kek, [NotNullWhen(true)] out MasterKey? masterKey)
    {
        masterKey = null;
        Span<byte> key = stackalloc byte[MasterKey.Size + 1];
        try
        {
            int written;
            using (var opener = new ObjectOpener(kek))
            {
                try
                {
                    written = opener.Open(ObjectKind.KeySlot, _idBytes, _wrapped, key);
                }
                catch (ObjectAuthenticationException)
                {
                    // Wrong credential or tampered slot: the tag cannot tell, and neither do we.
                    return false;
                }
                catch (ObjectTooLargeException ex)
                {
                    throw new MalformedObjectException(ObjectKind.KeySlot, Id, "its authentic wrapped key is not 32 bytes", ex);
                }
            }

            if (written != MasterKey.Size)
            {
                throw new MalformedObjectException(ObjectKind.KeySlot, Id, "its authentic wrapped key is not 32 bytes");
            }

            masterKey = MasterKey.FromBytes(key[..MasterKey.Size]);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
