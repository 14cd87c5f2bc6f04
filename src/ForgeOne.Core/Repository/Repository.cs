using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Chunking;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository.Locking;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Repository;

/// <summary>
/// An open repository (format version 1, docs/design.md "Repository format"): its config, its keys, its index, and
/// the operations on blobs, packs, index files, snapshots and key slots.
/// </summary>
/// <remarks>
/// <para><b>Lifecycle.</b> <see cref="InitAsync"/> creates a repository and <see cref="OpenAsync"/> opens one; both
/// return an instance that holds the unlocked master key (pinned, zeroed by <see cref="DisposeAsync"/>) and the keys
/// derived from it. The repository does not own its <see cref="Backend"/>: the caller disposes the backend after the
/// repository.</para>
/// <para><b>Write order</b> (so a process killed at any instant leaves a usable repository): packs
/// (<see cref="PackWriter"/>), then index files naming them (<see cref="WriteIndexAsync(IReadOnlyList{PackResult}, CancellationToken)"/>),
/// then the snapshot (<see cref="SaveSnapshotAsync"/>), which is the commit point. Nothing is ever overwritten.</para>
/// <para><b>Errors.</b> Credentials that open no key slot throw <see cref="WrongCredentialsException"/> (unchanged, for
/// front ends to map to an authentication error); data that fails a check throws an <see cref="IntegrityException"/>
/// (<see cref="BlobIntegrityException"/>, <see cref="MalformedPackException"/>, <see cref="ObjectHashMismatchException"/>,
/// or the envelope's own); missing things throw a <see cref="RepositoryException"/>; storage failures a
/// <see cref="StorageException"/>.</para>
/// <para><b>Thread-safety:</b> every member may be called from any number of threads at once, except
/// <see cref="DisposeAsync"/>, which must come last. <see cref="PackWriter"/>s it creates are single-consumer.</para>
/// </remarks>
public sealed class Repository : IAsyncDisposable
{
    /// <summary>Largest snapshot document accepted, in bytes (64 MiB).</summary>
    public const int MaxSnapshotLength = 64 * 1024 * 1024;

    private const int IndexLoadParallelism = 8;
    private const int MaxCandidatesShown = 10;

    private readonly MasterKey _masterKey;
    private readonly ObjectSealer _dataSealer;
    private readonly ObjectSealer _headerSealer;
    private readonly ObjectOpener _dataOpener;
    private readonly ObjectSealer _indexSealer;
    private readonly ObjectOpener _indexOpener;
    private readonly byte[] _chunkIdKey = GC.AllocateUninitializedArray<byte>(MasterKey.Size, pinned: true);
    private readonly GearTable _gearTable;
    private volatile MasterIndex _index = new();
    private int _disposed;

    private Repository(IStorageBackend backend, MasterKey masterKey, RepositoryConfig config, string currentKeySlotId)
    {
        Backend = backend;
        Config = config;
        CurrentKeySlotId = currentKeySlotId;
        _masterKey = masterKey;
        var options = new EnvelopeOptions { CompressionLevel = config.CompressionLevel };
        _dataSealer = masterKey.CreateSealer(KeyPurpose.DataEncryption, options);

        // The spec stores pack headers uncompressed: their entries are mostly random ids.
        _headerSealer = masterKey.CreateSealer(KeyPurpose.DataEncryption, new EnvelopeOptions { Compress = false });
        _dataOpener = masterKey.CreateOpener(KeyPurpose.DataEncryption);
        _indexSealer = masterKey.CreateSealer(KeyPurpose.Index, options);
        _indexOpener = masterKey.CreateOpener(KeyPurpose.Index);
        masterKey.DeriveSubkey(KeyPurpose.ChunkId, _chunkIdKey);
        Span<byte> gearSecret = stackalloc byte[GearTable.SecretLength];
        try
        {
            masterKey.DeriveSubkey(KeyPurpose.ChunkerGear, gearSecret);
            _gearTable = GearTable.FromSecret(gearSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(gearSecret);
        }

        BlobSealer = new BlobSealer(_dataSealer);
    }

    /// <summary>The repository's config (format version, id, chunk sizes, pack size, compression level).</summary>
    public RepositoryConfig Config { get; }

    /// <summary>The storage the repository lives on. Not owned: the caller disposes it.</summary>
    public IStorageBackend Backend { get; }

    /// <summary>Where the repository is, for messages (the backend's location; never contains credentials).</summary>
    public string Location => Backend.Location;

    /// <summary>
    /// The in-memory index of every blob: loaded at open, extended by <see cref="MasterIndex.Add"/> and
    /// <see cref="WriteIndexAsync(IReadOnlyList{PackResult}, CancellationToken)"/>, replaced by
    /// <see cref="ReloadIndexAsync"/>.
    /// </summary>
    public MasterIndex Index => _index;

    /// <summary>Id of the key slot that unlocked this instance (or that init created).</summary>
    public string CurrentKeySlotId { get; }

    /// <summary>Seals blobs for <see cref="PackWriter"/>; thread-safe, shared by all pipeline workers.</summary>
    public BlobSealer BlobSealer { get; }

    /// <summary>
    /// Creates a repository: a new master key, one key slot for <paramref name="credentials"/>, then the config.
    /// </summary>
    /// <param name="backend">Where to create it; should be empty.</param>
    /// <param name="credentials">What will unlock it: a passphrase (Argon2id slot) or a key file (key-file slot).</param>
    /// <param name="options">Chunk sizes, pack size, compression level and Argon2 costs; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the init; a cancelled init removes its key slot again.</param>
    /// <returns>The new, open repository, with an empty index; dispose it when done.</returns>
    /// <remarks>
    /// The key slot is written first and <c>config</c> last, so a location with key slots but no config is an init that
    /// did not finish; <see cref="OpenAsync"/> reports it as such. If writing the config fails, the slot is removed
    /// again (best effort).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="backend"/> or <paramref name="credentials"/> is null.</exception>
    /// <exception cref="RepositoryExistsException">The location has a config or key slots already; nothing was written.</exception>
    /// <exception cref="StorageException">The storage could not be read or written.</exception>
    public static async Task<Repository> InitAsync(IStorageBackend backend, RepositoryCredentials credentials,
        RepositoryInitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(credentials);
        var config = RepositoryConfig.CreateNew(options);
        if (await backend.StatAsync(RepositoryPaths.Config, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RepositoryExistsException(backend.Location);
        }

        if (await AnyObjectAsync(backend, RepositoryPaths.KeysPrefix, cancellationToken).ConfigureAwait(false))
        {
            throw new RepositoryExistsException(backend.Location, isIncompleteInit: true);
        }

        var masterKey = MasterKey.Generate();
        Repository? repository = null;
        try
        {
            var slot = credentials.CreateSlot(masterKey, options?.Argon2);
            repository = new Repository(backend, masterKey, config, slot.Id);
            var slotName = RepositoryPaths.Key(slot.Id);
            await backend.WriteOnceAsync(slotName, slot.ToJson(), cancellationToken).ConfigureAwait(false);
            try
            {
                await repository.WriteSealedObjectAsync(
                    RepositoryPaths.Config, ObjectKind.Config, ConfigAad(), config.ToJson(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await TryDeleteAsync(backend, slotName).ConfigureAwait(false);
                if (ex is ObjectExistsException)
                {
                    // Another init won the race for this location.
                    throw new RepositoryExistsException(backend.Location, innerException: ex);
                }

                throw;
            }

            return repository;
        }
        catch
        {
            if (repository is not null)
            {
                await repository.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                masterKey.Dispose();
            }

            throw;
        }
    }

    /// <summary>Opens a repository: finds the config, unlocks a key slot, reads the config and loads the index.</summary>
    /// <param name="backend">Where the repository is.</param>
    /// <param name="credentials">A passphrase or key file; tried against every slot of its kind.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open repository; dispose it when done. Opening writes nothing.</returns>
    /// <remarks>
    /// Key slots that do not parse (damaged or from a newer version) are skipped, so one bad slot does not lock out the
    /// others; only when no slot parses is the first slot's error thrown. Index files named as superseded by another
    /// index file are ignored.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="backend"/> or <paramref name="credentials"/> is null.</exception>
    /// <exception cref="RepositoryNotFoundException">The location has no config (no repository, or an unfinished init:
    /// <see cref="RepositoryNotFoundException.IsIncompleteInit"/>).</exception>
    /// <exception cref="WrongCredentialsException">No key slot opens with <paramref name="credentials"/>.</exception>
    /// <exception cref="UnsupportedFormatException">The config or an index file has a format version other than 1.</exception>
    /// <exception cref="IntegrityException">The config or an index file is damaged or tampered with.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    public static async Task<Repository> OpenAsync(IStorageBackend backend, RepositoryCredentials credentials,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(credentials);
        var location = backend.Location;
        if (await backend.StatAsync(RepositoryPaths.Config, cancellationToken).ConfigureAwait(false) is null)
        {
            var incomplete = await AnyObjectAsync(backend, RepositoryPaths.KeysPrefix, cancellationToken).ConfigureAwait(false);
            throw new RepositoryNotFoundException(location, incomplete);
        }

        var slots = await ReadKeySlotsAsync(backend, cancellationToken).ConfigureAwait(false);
        var usable = slots.Where(s => s.Slot is not null).Select(s => s.Slot!).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        if (usable.Count == 0 && slots.FirstOrDefault(s => s.Failure is not null)?.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        MasterKey? masterKey = null;
        string? slotId = null;
        foreach (var slot in usable)
        {
            if (credentials.TryUnlock(slot, out var key))
            {
                masterKey = key;
                slotId = slot.Id;
                break;
            }
        }

        if (credentials.Kind == KeySlotKind.Passphrase)
        {
            // Argon2id just filled tens of MiB on purpose (that is its defence); give that memory back before a backup
            // or restore needs its own buffers, so the process's peak stays one working set, not two.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        if (masterKey is null || slotId is null)
        {
            throw new WrongCredentialsException(location, credentials.Kind);
        }

        Repository? repository = null;
        try
        {
            var sealedConfig = await backend.ReadAllAsync(
                RepositoryPaths.Config, RepositoryConfig.MaxJsonLength + Envelope.Overhead, cancellationToken).ConfigureAwait(false);
            byte[] json;
            using (var opener = masterKey.CreateOpener(KeyPurpose.DataEncryption))
            {
                json = opener.Open(ObjectKind.Config, ConfigAad().Span, sealedConfig, RepositoryConfig.MaxJsonLength);
            }

            var config = RepositoryConfig.Parse(json);
            repository = new Repository(backend, masterKey, config, slotId);
            await repository.ReloadIndexAsync(cancellationToken).ConfigureAwait(false);
            return repository;
        }
        catch
        {
            if (repository is not null)
            {
                await repository.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                masterKey.Dispose();
            }

            throw;
        }
    }

    /// <summary>Computes a blob's id: <c>BLAKE3.keyed_hash(ChunkId key, plaintext)</c>.</summary>
    /// <param name="plaintext">The blob's bytes (a chunk, or a tree's serialised form).</param>
    /// <returns>The id; equal plaintext gives an equal id, which is what deduplicates.</returns>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public BlobId ComputeBlobId(ReadOnlySpan<byte> plaintext)
    {
        ThrowIfDisposed();
        Span<byte> hash = stackalloc byte[BlobId.Size];
        Blake3.KeyedHash(_chunkIdKey, plaintext, hash);
        return new BlobId(hash);
    }

    /// <summary>Creates the repository's chunker: FastCDC with the secret gear table and the config's sizes.</summary>
    /// <returns>A chunker; immutable and thread-safe, so one may serve every file.</returns>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public FastCdcChunker CreateChunker()
    {
        ThrowIfDisposed();
        return new FastCdcChunker(_gearTable, Config.Chunker);
    }

    /// <summary>Creates a pack writer that stores packs of about <see cref="RepositoryConfig.PackSize"/> bytes.</summary>
    /// <returns>A single-consumer writer; dispose it when done (pending blobs are then dropped).</returns>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public PackWriter CreatePackWriter()
    {
        ThrowIfDisposed();
        return new PackWriter(Backend, _headerSealer, Config.PackSize);
    }

    /// <summary>Reads one blob: looks it up in the index, range-reads it from its pack, opens it and checks its id.</summary>
    /// <param name="id">The blob's id.</param>
    /// <param name="type">The blob's type.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The blob's plaintext.</returns>
    /// <exception cref="BlobNotFoundException">The index has no such blob.</exception>
    /// <exception cref="BlobIntegrityException">The blob fails authentication or decoding, or its plaintext does not
    /// hash to <paramref name="id"/>; names the pack and the blob.</exception>
    /// <exception cref="MalformedPackException">The pack is shorter than the index says.</exception>
    /// <exception cref="StorageObjectNotFoundException">The pack is missing.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<byte[]> ReadBlobAsync(BlobId id, BlobType type, CancellationToken cancellationToken = default)
    {
        var blob = Lookup(id, type);
        var plaintext = new byte[blob.RawLength];
        await ReadBlobCoreAsync(blob, plaintext, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    /// <summary>Reads one blob into a pooled buffer, for callers that use a blob and let it go (restore, verification).</summary>
    /// <param name="id">The blob's id.</param>
    /// <param name="type">The blob's type.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plaintext; dispose it to give the buffer back, and do not use its memory after that.</returns>
    /// <exception cref="BlobNotFoundException">The index has no such blob.</exception>
    /// <exception cref="BlobIntegrityException">The blob fails a check; names the pack and the blob.</exception>
    /// <exception cref="MalformedPackException">The pack is shorter than the index says.</exception>
    /// <exception cref="StorageObjectNotFoundException">The pack is missing.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<IMemoryOwner<byte>> RentBlobAsync(BlobId id, BlobType type, CancellationToken cancellationToken = default)
    {
        var blob = Lookup(id, type);
        var plaintext = new PooledBlob(ArrayPool<byte>.Shared.Rent(blob.RawLength), blob.RawLength);
        try
        {
            await ReadBlobCoreAsync(blob, plaintext.Memory, cancellationToken).ConfigureAwait(false);
            return plaintext;
        }
        catch
        {
            plaintext.Dispose();
            throw;
        }
    }

    /// <summary>Reads one blob into a caller's buffer (for pooled buffers in the restore pipeline).</summary>
    /// <param name="id">The blob's id.</param>
    /// <param name="type">The blob's type.</param>
    /// <param name="destination">At least the blob's plaintext length (<see cref="IndexedBlob.RawLength"/> from
    /// <see cref="MasterIndex.TryGet"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plaintext length written to the start of <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the blob.</exception>
    /// <exception cref="BlobNotFoundException">The index has no such blob.</exception>
    /// <exception cref="BlobIntegrityException">The blob fails a check; names the pack and the blob.</exception>
    /// <exception cref="MalformedPackException">The pack is shorter than the index says.</exception>
    /// <exception cref="StorageObjectNotFoundException">The pack is missing.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<int> ReadBlobAsync(BlobId id, BlobType type, Memory<byte> destination,
        CancellationToken cancellationToken = default)
    {
        var blob = Lookup(id, type);
        if (destination.Length < blob.RawLength)
        {
            throw new ArgumentException(
                $"{type} blob {id} is {blob.RawLength} bytes; the destination holds only {destination.Length}.", nameof(destination));
        }

        await ReadBlobCoreAsync(blob, destination[..blob.RawLength], cancellationToken).ConfigureAwait(false);
        return blob.RawLength;
    }

    /// <summary>Reads, opens and validates a pack's header (trailer, sealed header, lengths).</summary>
    /// <param name="packId">The pack.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header, with each blob's offset.</returns>
    /// <exception cref="MalformedPackException">The trailer points outside the pack, the header fails authentication
    /// or does not parse, or its lengths do not add up to the pack's length (a truncated pack, for example).</exception>
    /// <exception cref="UnsupportedFormatException">The header has an unknown version.</exception>
    /// <exception cref="StorageObjectNotFoundException">The pack is missing.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public Task<PackHeader> ReadPackHeaderAsync(PackId packId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return PackReader.ReadHeaderAsync(Backend, _dataOpener, packId, cancellationToken);
    }

    /// <summary>
    /// Writes index files listing <paramref name="packs"/> and adds the packs to <see cref="Index"/>. Call it after the
    /// packs are written and before the snapshot that uses them.
    /// </summary>
    /// <param name="packs">Written packs, as returned by <see cref="PackWriter"/>.</param>
    /// <param name="cancellationToken">Cancels the write; files already written stay (harmless duplicates).</param>
    /// <returns>The ids of the index files written: one per <see cref="IndexFile.MaxBlobsPerFile"/> blobs; none when
    /// <paramref name="packs"/> is empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="packs"/> is null.</exception>
    /// <exception cref="StorageException">The storage could not be written.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public Task<IReadOnlyList<string>> WriteIndexAsync(IReadOnlyList<PackResult> packs, CancellationToken cancellationToken = default) =>
        WriteIndexAsync(packs, [], cancellationToken);

    /// <summary>
    /// Writes index files listing <paramref name="packs"/> that supersede the index files <paramref name="supersedes"/>,
    /// and adds the packs to <see cref="Index"/>. For prune: write the replacement, then delete the superseded files.
    /// </summary>
    /// <param name="packs">The packs the new files list.</param>
    /// <param name="supersedes">Ids of index files the new ones replace; readers ignore them from now on.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids of the index files written; at least one when <paramref name="supersedes"/> is not empty.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A superseded id is not 64 lower-case hex digits.</exception>
    /// <exception cref="StorageException">The storage could not be written.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<IReadOnlyList<string>> WriteIndexAsync(IReadOnlyList<PackResult> packs, IReadOnlyList<string> supersedes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packs);
        ArgumentNullException.ThrowIfNull(supersedes);
        ThrowIfDisposed();
        var ids = new List<string>();
        var batch = new List<PackResult>();
        long batchBlobs = 0;
        foreach (var pack in packs)
        {
            ArgumentNullException.ThrowIfNull(pack, nameof(packs));
            if (batch.Count > 0 && batchBlobs + pack.Blobs.Count > IndexFile.MaxBlobsPerFile)
            {
                ids.Add(await WriteIndexFileAsync(new IndexFile(batch, supersedes), cancellationToken).ConfigureAwait(false));
                batch.Clear();
                batchBlobs = 0;
            }

            batch.Add(pack);
            batchBlobs += pack.Blobs.Count;
        }

        if (batch.Count > 0 || (ids.Count == 0 && supersedes.Count > 0))
        {
            ids.Add(await WriteIndexFileAsync(new IndexFile(batch, supersedes), cancellationToken).ConfigureAwait(false));
        }

        var index = _index;
        foreach (var pack in packs)
        {
            index.Add(pack);
        }

        return ids;
    }

    /// <summary>
    /// Reads every index file again and replaces <see cref="Index"/> with the result, for example to see packs another
    /// process added. Superseded index files are ignored.
    /// </summary>
    /// <param name="cancellationToken">Cancels the reload; the current index then stays.</param>
    /// <returns>A task that completes when the new index is in place.</returns>
    /// <remarks>
    /// Up to 8 files are read at once. All files are parsed before any is added (a later file may supersede an earlier
    /// one), so loading briefly holds the parsed files (about 50 bytes per blob) beside the index itself.
    /// </remarks>
    /// <exception cref="ObjectHashMismatchException">An index file's bytes do not match its name.</exception>
    /// <exception cref="IntegrityException">An index file fails authentication or does not parse.</exception>
    /// <exception cref="UnsupportedFormatException">An index file has a format version other than 1.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task ReloadIndexAsync(CancellationToken cancellationToken = default) =>
        LoadIndex(await ReadAllIndexFilesAsync(cancellationToken).ConfigureAwait(false), releaseFiles: true);

    /// <summary>
    /// Replaces <see cref="Index"/> with the packs of the live (not superseded) files of <paramref name="files"/>, as
    /// read by <see cref="ReadAllIndexFilesAsync"/>: prune reads the files once for both its plan and the index.
    /// </summary>
    /// <param name="files">Every index file.</param>
    /// <param name="releaseFiles">Let go of each file once its packs are in, so loading does not hold two copies of the
    /// index for long; false when the caller still needs them.</param>
    internal void LoadIndex((string Id, bool Superseded, IndexFile File)[] files, bool releaseFiles)
    {
        long dataBlobs = 0, treeBlobs = 0, packs = 0;
        foreach (var (_, superseded, file) in files)
        {
            if (superseded)
            {
                continue;
            }

            foreach (var pack in file.Packs)
            {
                packs++;
                foreach (var blob in pack.Blobs)
                {
                    if (blob.Type == BlobType.Tree)
                    {
                        treeBlobs++;
                    }
                    else
                    {
                        dataBlobs++;
                    }
                }
            }
        }

        // Sized up front, so a loaded index carries no growth slack (about 60 instead of up to 85 bytes per blob).
        var index = new MasterIndex();
        index.EnsureCapacity(ClampToInt(dataBlobs), ClampToInt(treeBlobs), ClampToInt(packs));
        for (var i = 0; i < files.Length; i++)
        {
            if (!files[i].Superseded)
            {
                foreach (var pack in files[i].File.Packs)
                {
                    index.Add(pack);
                }
            }

            if (releaseFiles)
            {
                files[i] = default;
            }
        }

        _index = index;
    }

    /// <summary>Reads and opens a sealed object such as the config, a lock or an audit segment.</summary>
    /// <param name="name">The object's storage name.</param>
    /// <param name="kind">The kind it was sealed as. <see cref="ObjectKind.Index"/> uses the index key; config,
    /// snapshots, locks, audit segments and evidence use the data encryption key.</param>
    /// <param name="id">The id it was sealed with (for example ASCII <c>config</c>, or a lock's hex id in ASCII); may
    /// be empty.</param>
    /// <param name="maxPlaintextLength">Largest plaintext accepted; also bounds how much is read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a standalone object kind (key slots, pack
    /// headers, chunks, trees and store records are handled elsewhere).</exception>
    /// <exception cref="IntegrityException">The object fails authentication or decoding.</exception>
    /// <exception cref="UnsupportedFormatException">The envelope has an unknown version, algorithm or codec.</exception>
    /// <exception cref="StorageObjectNotFoundException">The object does not exist.</exception>
    /// <exception cref="StorageException">The storage could not be read, or the object is larger than the limit allows.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<byte[]> ReadSealedObjectAsync(string name, ObjectKind kind, ReadOnlyMemory<byte> id, int maxPlaintextLength,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPlaintextLength);
        var opener = OpenerFor(kind);
        var sealedObject = await Backend.ReadAllAsync(name, Math.Min((long)maxPlaintextLength + Envelope.Overhead, Array.MaxLength),
            cancellationToken).ConfigureAwait(false);
        return opener.Open(kind, id.Span, sealedObject, maxPlaintextLength);
    }

    /// <summary>Seals <paramref name="plaintext"/> and stores it once under <paramref name="name"/>.</summary>
    /// <param name="name">The object's storage name.</param>
    /// <param name="kind">The kind to seal it as; see <see cref="ReadSealedObjectAsync"/> for the keys used.</param>
    /// <param name="id">The id to bind into the envelope; may be empty.</param>
    /// <param name="plaintext">The object's contents; compressed when it pays.</param>
    /// <param name="cancellationToken">Cancels the write; no object is created then.</param>
    /// <returns>A task that completes when the object is stored durably.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a standalone object kind.</exception>
    /// <exception cref="ObjectExistsException">An object with that name exists; it was left unchanged.</exception>
    /// <exception cref="StorageException">The storage could not be written.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task WriteSealedObjectAsync(string name, ObjectKind kind, ReadOnlyMemory<byte> id, ReadOnlyMemory<byte> plaintext,
        CancellationToken cancellationToken = default)
    {
        var sealer = SealerFor(kind);
        var sealedObject = sealer.Seal(kind, id.Span, plaintext.Span);
        await Backend.WriteOnceAsync(name, sealedObject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the key slots that parse, with the one in use marked.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The slots, oldest first. Slots that do not parse (damaged, or from a newer version) are left out; they
    /// can still be removed by id with <see cref="RemoveKeyAsync"/>.</returns>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<IReadOnlyList<KeySlotInfo>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var slots = await ReadKeySlotsAsync(Backend, cancellationToken).ConfigureAwait(false);
        return slots
            .Where(s => s.Slot is not null)
            .Select(s => s.Slot!)
            .OrderBy(s => s.Created)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => new KeySlotInfo(s.Id, s.Kind, s.Created, s.Host, s.User, s.Argon2, s.Id == CurrentKeySlotId))
            .ToList();
    }

    /// <summary>Adds a key slot wrapping this repository's master key under new credentials. No data is re-encrypted.</summary>
    /// <param name="newCredentials">The passphrase or key file that will open the new slot.</param>
    /// <param name="argon2">Argon2id costs for a passphrase slot; null for <see cref="Argon2Parameters.Default"/>.
    /// Ignored for a key-file slot.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new slot's id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="newCredentials"/> is null.</exception>
    /// <exception cref="StorageException">The storage could not be written.</exception>
    /// <exception cref="ObjectDisposedException">The repository or the credentials were disposed.</exception>
    public async Task<string> AddKeyAsync(RepositoryCredentials newCredentials, Argon2Parameters? argon2 = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newCredentials);
        ThrowIfDisposed();
        var slot = newCredentials.CreateSlot(_masterKey, argon2);
        await Backend.WriteOnceAsync(RepositoryPaths.Key(slot.Id), slot.ToJson(), cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(this, new AuditEvent { Operation = AuditOperations.KeyAdd, Target = "key slot " + slot.Id, Parameters = new Dictionary<string, string> { ["kind"] = slot.Kind.ToString() } }, cancellationToken).ConfigureAwait(false);
        return slot.Id;
    }

    /// <summary>Removes a key slot, so its credentials no longer open the repository.</summary>
    /// <param name="slotId">The slot's id, as listed by <see cref="ListKeysAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when the slot is deleted.</returns>
    /// <remarks>
    /// Removing the slot this instance was opened with (<see cref="CurrentKeySlotId"/>) is allowed: this instance keeps
    /// working, since the master key is already in memory, but those credentials will not open the repository again.
    /// Removal does not revoke anyone who already holds the master key (docs/design.md, "Threat model").
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="slotId"/> is empty.</exception>
    /// <exception cref="KeySlotNotFoundException">No slot has that id.</exception>
    /// <exception cref="LastKeySlotException">No other readable slot would remain; nothing was removed.</exception>
    /// <exception cref="StorageException">The storage could not be read or written.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task RemoveKeyAsync(string slotId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(slotId);
        ThrowIfDisposed();
        var slots = await ReadKeySlotsAsync(Backend, cancellationToken).ConfigureAwait(false);
        if (!slots.Exists(s => s.Id == slotId))
        {
            throw new KeySlotNotFoundException(Location, slotId);
        }

        if (!slots.Exists(s => s.Slot is not null && s.Id != slotId))
        {
            throw new LastKeySlotException(Location, slotId);
        }

        await Backend.DeleteAsync(RepositoryPaths.Key(slotId), cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(this, new AuditEvent { Operation = AuditOperations.KeyRemove, Target = "key slot " + slotId }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Seals a snapshot document (kind <see cref="ObjectKind.Snapshot"/>, empty id) and stores it as
    /// <c>snapshots/&lt;BLAKE3 of the sealed bytes&gt;</c>. This is a backup's commit point.
    /// </summary>
    /// <param name="snapshotJson">The snapshot's JSON (the snapshot model is not this class's business).</param>
    /// <param name="cancellationToken">Cancels the write; no snapshot is created then.</param>
    /// <returns>The snapshot's id, 64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentException"><paramref name="snapshotJson"/> is empty or longer than
    /// <see cref="MaxSnapshotLength"/>.</exception>
    /// <exception cref="StorageException">The storage could not be written.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<string> SaveSnapshotAsync(ReadOnlyMemory<byte> snapshotJson, CancellationToken cancellationToken = default)
    {
        if (snapshotJson.IsEmpty || snapshotJson.Length > MaxSnapshotLength)
        {
            throw new ArgumentException(
                $"A snapshot document is 1 to {MaxSnapshotLength} bytes, not {snapshotJson.Length}.", nameof(snapshotJson));
        }

        ThrowIfDisposed();
        var sealedSnapshot = _dataSealer.Seal(ObjectKind.Snapshot, default, snapshotJson.Span);
        var id = HashHex(sealedSnapshot);
        await Backend.WriteOnceAsync(RepositoryPaths.Snapshot(id), sealedSnapshot, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Lists the ids of all snapshots, sorted, without reading them.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The ids (object names under <c>snapshots/</c>), in ordinal order.</returns>
    /// <exception cref="StorageException">The storage could not be listed.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public Task<IReadOnlyList<string>> ListSnapshotIdsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ListIdsAsync(RepositoryPaths.SnapshotsPrefix, string.Empty, cancellationToken);
    }

    /// <summary>Reads, checks and opens every snapshot, in id order.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>Each snapshot's id and JSON.</returns>
    /// <exception cref="ObjectHashMismatchException">A snapshot's bytes do not match its name (thrown when reached).</exception>
    /// <exception cref="IntegrityException">A snapshot fails authentication or decoding.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async IAsyncEnumerable<(string Id, byte[] Json)> LoadSnapshotsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var ids = await ListIdsAsync(RepositoryPaths.SnapshotsPrefix, string.Empty, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            byte[] json;
            try
            {
                json = await LoadSnapshotByIdAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageObjectNotFoundException)
            {
                // Deleted since the listing (a concurrent forget); it is simply gone.
                continue;
            }

            yield return (id, json);
        }
    }

    /// <summary>Reads, checks and opens one snapshot, given its id or a unique prefix of it.</summary>
    /// <param name="idOrUniquePrefix">The id, or its first hex digits (any case).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot's JSON.</returns>
    /// <exception cref="ArgumentException">The text is not hex, or the prefix matches several snapshots (the message lists
    /// them).</exception>
    /// <exception cref="SnapshotNotFoundException">No snapshot matches.</exception>
    /// <exception cref="ObjectHashMismatchException">The snapshot's bytes do not match its name.</exception>
    /// <exception cref="IntegrityException">The snapshot fails authentication or decoding.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<byte[]> LoadSnapshotAsync(string idOrUniquePrefix, CancellationToken cancellationToken = default)
    {
        var id = await ResolveSnapshotIdAsync(idOrUniquePrefix, cancellationToken).ConfigureAwait(false);
        try
        {
            return await LoadSnapshotByIdAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageObjectNotFoundException ex)
        {
            throw new SnapshotNotFoundException(Location, idOrUniquePrefix, ex);
        }
    }

    /// <summary>Turns a snapshot id or unique prefix into the full id.</summary>
    /// <param name="idOrUniquePrefix">The id, or its first hex digits (any case).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The full id, 64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentException">The text is empty, longer than 64 characters or not hex, or the prefix
    /// matches several snapshots (the message lists them).</exception>
    /// <exception cref="SnapshotNotFoundException">No snapshot matches.</exception>
    /// <exception cref="StorageException">The storage could not be listed.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<string> ResolveSnapshotIdAsync(string idOrUniquePrefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrUniquePrefix);
        ThrowIfDisposed();
        var prefix = idOrUniquePrefix.ToLowerInvariant();
        if (prefix.Length > HexId.HexLength || !prefix.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException(
                $"'{idOrUniquePrefix}' is not a snapshot id or prefix: snapshot ids are {HexId.HexLength} hex digits.",
                nameof(idOrUniquePrefix));
        }

        var matches = await ListIdsAsync(RepositoryPaths.SnapshotsPrefix, prefix, cancellationToken).ConfigureAwait(false);
        switch (matches.Count)
        {
            case 0:
                throw new SnapshotNotFoundException(Location, idOrUniquePrefix);
            case 1:
                return matches[0];
            default:
                var shown = string.Join(", ", matches.Take(MaxCandidatesShown));
                var more = matches.Count > MaxCandidatesShown ? $" and {matches.Count - MaxCandidatesShown} more" : string.Empty;
                throw new ArgumentException(
                    $"'{idOrUniquePrefix}' matches {matches.Count} snapshots in '{Location}': {shown}{more}. Give more digits of the id.",
                    nameof(idOrUniquePrefix));
        }
    }

    /// <summary>Deletes a snapshot object (not the data it refers to; that is prune's job).</summary>
    /// <param name="idOrUniquePrefix">The id, or a unique prefix of it.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>The full id of the deleted snapshot.</returns>
    /// <exception cref="ArgumentException">The text is not hex, or the prefix matches several snapshots.</exception>
    /// <exception cref="SnapshotNotFoundException">No snapshot matches.</exception>
    /// <exception cref="StorageException">The storage could not be listed or written.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public async Task<string> DeleteSnapshotAsync(string idOrUniquePrefix, CancellationToken cancellationToken = default)
    {
        var id = await ResolveSnapshotIdAsync(idOrUniquePrefix, cancellationToken).ConfigureAwait(false);
        await Backend.DeleteAsync(RepositoryPaths.Snapshot(id), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// The repository's lock manager: shared locks for backup, restore and check, an exclusive one for prune.
    /// Locks are sealed with this repository's keys, so only key holders can read who holds them.
    /// </summary>
    public RepositoryLockManager CreateLockManager(RepositoryLockOptions? options = null) =>
        new(Backend, _headerSealer, _dataOpener, options);

    /// <summary>Takes a lock for <paramref name="operation"/>; dispose it when done.</summary>
    /// <exception cref="RepositoryLockedException">A conflicting lock is held (the message lists holders and stale ones).</exception>
    public Task<RepositoryLock> LockAsync(bool exclusive, string operation, CancellationToken cancellationToken = default) =>
        CreateLockManager().AcquireAsync(exclusive, operation, cancellationToken);

    /// <summary>
    /// Derives the audit log's Ed25519 seed (<see cref="KeyPurpose.AuditSigning"/>) into <paramref name="seed"/>, for
    /// <see cref="Audit.AuditLog.Open"/>; the master key itself never leaves this class.
    /// </summary>
    internal void DeriveAuditSigningSeed(Span<byte> seed)
    {
        ThrowIfDisposed();
        _masterKey.DeriveSubkey(KeyPurpose.AuditSigning, seed);
    }

    /// <summary>Describes the repository by location; never shows keys.</summary>
    /// <returns>For example <c>Repository /backups/repo</c>.</returns>
    public override string ToString() => $"Repository {Location}";

    /// <summary>
    /// Zeroes the master key and every derived key. Later calls throw <see cref="ObjectDisposedException"/>. The backend
    /// is not disposed.
    /// </summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _dataSealer.Dispose();
            _headerSealer.Dispose();
            _dataOpener.Dispose();
            _indexSealer.Dispose();
            _indexOpener.Dispose();
            CryptographicOperations.ZeroMemory(_chunkIdKey);
            _masterKey.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static ReadOnlyMemory<byte> ConfigAad() => "config"u8.ToArray();

    private static string HashHex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[Blake3.HashSize];
        Blake3.Hash(bytes, hash);
        return ObjectNames.ToHex(hash);
    }

    private static void VerifyHash(string name, ObjectKind kind, string expected, ReadOnlySpan<byte> bytes)
    {
        var actual = HashHex(bytes);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new ObjectHashMismatchException(name, kind, expected, actual);
        }
    }

    private static int ClampToInt(long value) => (int)Math.Min(value, int.MaxValue);

    private static async Task<bool> AnyObjectAsync(IStorageBackend backend, string prefix, CancellationToken cancellationToken)
    {
        await foreach (var _ in backend.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return false;
    }

    private static async Task TryDeleteAsync(IStorageBackend backend, string name)
    {
        try
        {
            await backend.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            // Best effort: a leftover slot without a config is reported as an unfinished init.
        }
    }

    /// <summary>Reads every object under keys/; a slot that does not parse is kept as a failure, not thrown.</summary>
    private static async Task<List<SlotRecord>> ReadKeySlotsAsync(IStorageBackend backend, CancellationToken cancellationToken)
    {
        var names = await backend.ListNamesAsync(RepositoryPaths.KeysPrefix, cancellationToken).ConfigureAwait(false);
        var records = new List<SlotRecord>(names.Count);
        foreach (var name in names)
        {
            var id = name[RepositoryPaths.KeysPrefix.Length..];
            byte[] json;
            try
            {
                json = await backend.ReadAllAsync(name, KeySlot.MaxJsonLength, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageObjectNotFoundException)
            {
                continue;
            }

            try
            {
                var slot = KeySlot.Parse(json);
                records.Add(slot.Id == id
                    ? new SlotRecord(id, slot, null)
                    : new SlotRecord(id, null, new MalformedObjectException(ObjectKind.KeySlot, id,
                        $"it holds slot {slot.Id}, not the slot its name says")));
            }
            catch (Exception ex) when (ex is MalformedObjectException or UnsupportedFormatException)
            {
                records.Add(new SlotRecord(id, null, ex));
            }
        }

        return records;
    }

    private async Task<IReadOnlyList<string>> ListIdsAsync(string folder, string idPrefix, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var item in Backend.ListAsync(folder + idPrefix, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(item.Name[folder.Length..]);
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    private async Task<byte[]> LoadSnapshotByIdAsync(string id, CancellationToken cancellationToken)
    {
        var name = RepositoryPaths.SnapshotsPrefix + id;
        var sealedSnapshot = await Backend.ReadAllAsync(name, MaxSnapshotLength + (long)Envelope.Overhead, cancellationToken)
            .ConfigureAwait(false);
        VerifyHash(name, ObjectKind.Snapshot, id, sealedSnapshot);
        return _dataOpener.Open(ObjectKind.Snapshot, default, sealedSnapshot, MaxSnapshotLength);
    }

    /// <summary>
    /// Reads every index file, superseded ones included, in name order (for prune, which must replace them all).
    /// </summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>Each file's id, whether another file supersedes it, and its content.</returns>
    internal async Task<(string Id, bool Superseded, IndexFile File)[]> ReadAllIndexFilesAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var names = await Backend.ListNamesAsync(RepositoryPaths.IndexPrefix, cancellationToken).ConfigureAwait(false);
        var files = new IndexFile[names.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, names.Count),
            new ParallelOptions { MaxDegreeOfParallelism = IndexLoadParallelism, CancellationToken = cancellationToken },
            async (i, token) => files[i] = await ReadIndexFileAsync(names[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        var superseded = files.SelectMany(file => file.Supersedes).ToHashSet(StringComparer.Ordinal);
        return [.. names.Select((name, i) =>
        {
            var id = name[RepositoryPaths.IndexPrefix.Length..];
            return (id, superseded.Contains(id), files[i]);
        })];
    }

    private async Task<IndexFile> ReadIndexFileAsync(string name, CancellationToken cancellationToken)
    {
        var id = name[RepositoryPaths.IndexPrefix.Length..];
        var sealedIndex = await Backend.ReadAllAsync(name, cancellationToken).ConfigureAwait(false);
        VerifyHash(name, ObjectKind.Index, id, sealedIndex);
        var plaintext = _indexOpener.Open(ObjectKind.Index, default, sealedIndex, IndexFile.MaxPlaintextLength);
        return IndexFile.Parse(plaintext, id);
    }

    private async Task<string> WriteIndexFileAsync(IndexFile file, CancellationToken cancellationToken)
    {
        var sealedIndex = _indexSealer.Seal(ObjectKind.Index, default, file.ToPlaintext());
        var id = HashHex(sealedIndex);
        try
        {
            await Backend.WriteOnceAsync(RepositoryPaths.Index(id), sealedIndex, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectExistsException)
        {
            // Named by the hash of its bytes: the existing object is this very file.
        }

        return id;
    }

    private IndexedBlob Lookup(BlobId id, BlobType type)
    {
        ThrowIfDisposed();
        return _index.TryGet(id, type, out var blob) ? blob : throw new BlobNotFoundException(Location, id, type);
    }

    private async Task ReadBlobCoreAsync(IndexedBlob blob, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var sealedBlob = ArrayPool<byte>.Shared.Rent(blob.Length);
        try
        {
            var read = await Backend.ReadAsync(
                RepositoryPaths.Pack(blob.PackId), blob.Offset, sealedBlob.AsMemory(0, blob.Length), cancellationToken).ConfigureAwait(false);
            if (read != blob.Length)
            {
                throw new MalformedPackException(blob.PackId,
                    $"it ends before {blob.Type} blob {blob.Id} ({blob.Length} bytes at offset {blob.Offset}, as the index says)");
            }

            OpenBlob(blob, sealedBlob.AsSpan(0, blob.Length), destination.Span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sealedBlob);
        }
    }

    /// <summary>
    /// Checks a blob already read from its pack (a check with read-data has the whole pack in memory): opens it and
    /// compares its content with its id, without reading it again.
    /// </summary>
    /// <param name="blob">Where the blob is and what it should be.</param>
    /// <param name="sealedBlob">Its sealed bytes.</param>
    /// <exception cref="BlobIntegrityException">It fails authentication, length or id.</exception>
    internal void CheckBlob(IndexedBlob blob, ReadOnlySpan<byte> sealedBlob)
    {
        ThrowIfDisposed();
        var plaintext = ArrayPool<byte>.Shared.Rent(Math.Max(1, blob.RawLength));
        try
        {
            OpenBlob(blob, sealedBlob, plaintext.AsSpan(0, blob.RawLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plaintext, clearArray: true);
        }
    }

    /// <summary>Opens a sealed blob into exactly its plaintext length and checks that it hashes to its id.</summary>
    private void OpenBlob(IndexedBlob blob, ReadOnlySpan<byte> sealedBlob, Span<byte> destination)
    {
        Span<byte> idBytes = stackalloc byte[BlobId.Size];
        blob.Id.CopyTo(idBytes);
        int written;
        try
        {
            written = _dataOpener.Open(PackFormat.KindOf(blob.Type), idBytes, sealedBlob, destination);
        }
        catch (IntegrityException ex)
        {
            throw new BlobIntegrityException(blob.PackId, blob.Id, blob.Type, DescribeFailure(ex), ex);
        }

        if (written != blob.RawLength)
        {
            throw new BlobIntegrityException(blob.PackId, blob.Id, blob.Type,
                $"decrypts to {written} bytes, but the index records {blob.RawLength}");
        }

        if (ComputeBlobId(destination[..written]) != blob.Id)
        {
            throw new BlobIntegrityException(blob.PackId, blob.Id, blob.Type, "decrypts to content that does not hash to its id");
        }
    }

    private static string DescribeFailure(IntegrityException exception) => exception switch
    {
        ObjectAuthenticationException =>
            "failed authentication (it was modified, cut short, moved, or sealed with another key)",
        TruncatedObjectException => "is cut short",
        ObjectTooLargeException => "decrypts to more bytes than the index records",
        MalformedObjectException => "is authentic but does not decompress",
        _ => "failed its integrity check",
    };

    private ObjectOpener OpenerFor(ObjectKind kind)
    {
        ThrowIfDisposed();
        return RequireStandaloneKind(kind) == KeyPurpose.Index ? _indexOpener : _dataOpener;
    }

    private ObjectSealer SealerFor(ObjectKind kind)
    {
        ThrowIfDisposed();
        return RequireStandaloneKind(kind) == KeyPurpose.Index ? _indexSealer : _dataSealer;
    }

    private static KeyPurpose RequireStandaloneKind(ObjectKind kind) => kind switch
    {
        ObjectKind.Index => KeyPurpose.Index,
        ObjectKind.Config or ObjectKind.Snapshot or ObjectKind.Lock or ObjectKind.AuditSegment or ObjectKind.Evidence or ObjectKind.Policy =>
            KeyPurpose.DataEncryption,
        _ => throw new ArgumentException(
            $"{kind} objects are not read or written as standalone sealed objects here (key slots, pack headers, " +
            "chunks, trees and store records have their own APIs).", nameof(kind)),
    };

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private sealed record SlotRecord(string Id, KeySlot? Slot, Exception? Failure);
}
