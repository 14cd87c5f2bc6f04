using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Storage;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Audit;

/// <summary>
/// An audit log kept in a repository: one sealed, write-once object per record, <c>audit/records/&lt;20-digit
/// sequence&gt;</c>, and the public key as the plain JSON object <c>audit/key</c> (docs/design.md, "Audit log").
/// </summary>
/// <remarks>
/// Records are sealed as <see cref="ObjectKind.AuditSegment"/> under the data encryption key with an empty AAD id, so a
/// record moved to another name still opens and verification reports it as reordered rather than as unreadable. The
/// storage's atomic no-replace create (<see cref="IStorageBackend.WriteOnceAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/>)
/// is the slot's write-once guarantee. Reading the whole log lists <c>audit/records/</c> and reads one small object per
/// record, up to 8 at once; fine for the thousands of records a repository collects in years, slow for millions.
/// Does not own the repository.
/// </remarks>
public sealed class RepositoryAuditStorage : IAuditStorage
{
    /// <summary>Largest <c>audit/key</c> object accepted, in bytes.</summary>
    public const int MaxKeyJsonLength = 4096;

    private const int ReadAhead = 8;
    private static readonly JsonDocumentOptions KeyReaderOptions = new() { MaxDepth = 2 };

    private readonly ForgeRepository _repository;

    /// <summary>Creates the storage over an open repository.</summary>
    /// <param name="repository">The repository; not owned.</param>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    public RepositoryAuditStorage(ForgeRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
    }

    /// <inheritdoc/>
    public string Location => _repository.Location;

    /// <summary>Reads a repository's published audit public key, without credentials.</summary>
    /// <param name="backend">The repository's storage.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The key, or null when the repository has not published one (no audit record was written yet).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="backend"/> is null.</exception>
    /// <exception cref="MalformedObjectException"><c>audit/key</c> does not parse.</exception>
    /// <exception cref="UnsupportedFormatException"><c>audit/key</c> has another version or algorithm.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    public static async Task<AuditPublicKey?> ReadPublishedKeyAsync(IStorageBackend backend, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        byte[] json;
        try
        {
            json = await backend.ReadAllAsync(RepositoryPaths.AuditKey, MaxKeyJsonLength, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageObjectNotFoundException)
        {
            return null;
        }

        return ParseKeyObject(json);
    }

    /// <summary>The JSON of <c>audit/key</c>: <c>{"version":1,"algorithm":"Ed25519","publicKey":"&lt;64 hex&gt;"}</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>UTF-8 JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static byte[] FormatKeyObject(AuditPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteString("algorithm", "Ed25519");
            writer.WriteString("publicKey", key.Hex);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc/>
    public async Task<long> GetLastSlotAsync(CancellationToken cancellationToken = default)
    {
        long last = 0;
        await foreach (var item in _repository.Backend.ListAsync(RepositoryPaths.AuditRecordsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseSlot(item.Name, out var slot) && slot > last)
            {
                last = slot;
            }
        }

        return last;
    }

    /// <inheritdoc/>
    public async Task<StoredAuditRecord?> ReadAsync(long slot, CancellationToken cancellationToken = default)
    {
        var name = RepositoryPaths.AuditRecord(slot);
        try
        {
            var json = await _repository.ReadSealedObjectAsync(name, ObjectKind.AuditSegment, default, AuditRecord.MaxJsonLength,
                cancellationToken).ConfigureAwait(false);
            return new StoredAuditRecord(slot, json, null);
        }
        catch (StorageObjectNotFoundException)
        {
            return null;
        }
        catch (IntegrityException ex)
        {
            return new StoredAuditRecord(slot, null, ex);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> TryCreateAsync(long slot, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default)
    {
        try
        {
            await _repository.WriteSealedObjectAsync(RepositoryPaths.AuditRecord(slot), ObjectKind.AuditSegment, default, json,
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ObjectExistsException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredAuditRecord> ReadAllAsync(long fromSlot = 1,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSlot, 1);
        var slots = new List<long>();
        await foreach (var item in _repository.Backend.ListAsync(RepositoryPaths.AuditRecordsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseSlot(item.Name, out var slot) && slot >= fromSlot)
            {
                slots.Add(slot);
            }
        }

        slots.Sort();

        // Reads run a few ahead of the consumer, in order, so a cloud backend's latency is paid once per batch.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<StoredAuditRecord?>>();
        var next = 0;
        try
        {
            while (next < slots.Count || pending.Count > 0)
            {
                while (next < slots.Count && pending.Count < ReadAhead)
                {
                    pending.Enqueue(ReadAsync(slots[next++], stop.Token));
                }

                var stored = await pending.Dequeue().ConfigureAwait(false);
                if (stored is not null)
                {
                    yield return stored;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var task in pending)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or StorageException)
                {
                    // The consumer stopped early; reads it no longer wants may fail as they like.
                }
            }
        }
    }

    /// <inheritdoc/>
    public Task<AuditPublicKey?> ReadPublicKeyAsync(CancellationToken cancellationToken = default) =>
        ReadPublishedKeyAsync(_repository.Backend, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> TryPublishPublicKeyAsync(AuditPublicKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await _repository.Backend.WriteOnceAsync(RepositoryPaths.AuditKey, FormatKeyObject(key), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (ObjectExistsException)
        {
            return false;
        }
    }

    private static bool TryParseSlot(string name, out long slot)
    {
        slot = 0;
        var digits = name.AsSpan(RepositoryPaths.AuditRecordsPrefix.Length);
        return digits.Length == RepositoryPaths.AuditSequenceDigits
            && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out slot)
            && slot > 0;
    }

    private static AuditPublicKey ParseKeyObject(byte[] json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, KeyReaderOptions);
        }
        catch (JsonException ex)
        {
            throw Malformed("it is not valid JSON", ex);
        }

        using (document)
        {
            var fields = new JsonFields(document.RootElement, "", problem => Malformed(problem));
            var version = fields.RequireInt32("version");
            if (version != 1)
            {
                throw new UnsupportedFormatException(ObjectKind.AuditSegment, null, "audit key version",
                    version.ToString(CultureInfo.InvariantCulture), "1");
            }

            var algorithm = fields.RequireString("algorithm");
            if (algorithm != "Ed25519")
            {
                throw new UnsupportedFormatException(ObjectKind.AuditSegment, null, "audit signature algorithm",
                    CanonicalJson.Truncate(algorithm), "Ed25519");
            }

            return AuditPublicKey.TryParse(fields.RequireString("publicKey"), out var key)
                ? key
                : throw Malformed("field \"publicKey\" is not 64 hex digits of an Ed25519 public key");
        }
    }

    private static MalformedObjectException Malformed(string problem, Exception? innerException = null) =>
        new(ObjectKind.AuditSegment, "audit/key", problem, innerException);
}
