using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Repository;

/// <summary>
/// Collects sealed blobs in memory and writes them as pack files of about the repository's pack size
/// (docs/design.md, "Pack files"). Get one from <see cref="Repository.CreatePackWriter"/>.
/// </summary>
/// <remarks>
/// <para><b>Writing a pack.</b> When the next blob would take the collected blobs past <see cref="PackSize"/> bytes,
/// when they reach it exactly, or when <see cref="FlushAsync"/> is called, the writer shuffles them into a random order (so the pack's layout does not
/// mirror the file tree), appends the sealed header (kind <see cref="ObjectKind.PackHeader"/>, empty id, no
/// compression) and its length as a u32le, hashes the exact bytes with BLAKE3 and stores them once with
/// <c>WriteOnceAsync</c> under <c>data/&lt;h[0..2]&gt;/&lt;h&gt;</c>. Nothing is re-read: the name is the hash of the
/// bytes written. The returned <see cref="PackResult"/> says where each blob landed; add it to the index
/// (<see cref="MasterIndex.Add"/>) for deduplication, and write it to an index file
/// (<see cref="Repository.WriteIndexAsync(IReadOnlyList{PackResult}, CancellationToken)"/>) before committing a
/// snapshot that uses its blobs.</para>
/// <para><b>Memory.</b> One buffer of <see cref="PackSize"/> (or of the largest blob, if that is larger)
/// collects the blobs and is reused for every pack; the pack is streamed out of it in the shuffled order, never copied
/// into a second one. Nothing is allocated per blob except the header entry.</para>
/// <para><b>Failures.</b> If a write fails or is cancelled, the pending blobs stay pending and no object is created;
/// a later <see cref="AddAsync"/> or <see cref="FlushAsync"/> tries again with them.</para>
/// <para><b>Thread-safety:</b> none; use one writer per consumer. The intended shape is several sealing workers
/// (each using the thread-safe <see cref="BlobSealer"/>) feeding one consumer through a bounded channel, which calls
/// <see cref="AddAsync"/>; the pack upload then happens on the consumer, and the channel's bound applies back-pressure.
/// For parallel uploads, use several writers.</para>
/// </remarks>
public sealed class PackWriter : IDisposable
{
    /// <summary>Largest sealed blob accepted: 512 MiB (the largest chunk is 256 MiB).</summary>
    public const int MaxSealedBlobLength = 512 * 1024 * 1024;

    private readonly IStorageBackend _backend;
    private readonly ObjectSealer _headerSealer;
    private readonly List<PendingBlob> _pending = [];
    private readonly HashSet<(BlobId, BlobType)> _pendingIds = [];
    // Owned rather than pooled: the pool rounds up to a power of two, so a 16 MiB pack could hold a 32 MiB array.
    private byte[]? _buffer;
    private int _used;
    private bool _disposed;

    internal PackWriter(IStorageBackend backend, ObjectSealer headerSealer, int packSize)
    {
        _backend = backend;
        _headerSealer = headerSealer;
        PackSize = packSize;
    }

    /// <summary>Target pack size in bytes (from the repository config): a pack is written once its blobs reach it.</summary>
    public int PackSize { get; }

    /// <summary>Number of blobs collected and not yet written.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Bytes of sealed blobs collected and not yet written.</summary>
    public long PendingBytes => _used;

    /// <summary>True when a blob with this id and type is collected and not yet written (for deduplication before the
    /// pack reaches the index).</summary>
    /// <param name="id">The blob's id.</param>
    /// <param name="type">The blob's type.</param>
    /// <returns>True when pending in this writer.</returns>
    public bool Contains(BlobId id, BlobType type) => _pendingIds.Contains((id, type));

    /// <summary>
    /// Adds a sealed blob, first writing the pending blobs as a pack if this one would take them past
    /// <see cref="PackSize"/>; a pack filled to exactly <see cref="PackSize"/> (or a first blob at least that large) is
    /// written at once.
    /// </summary>
    /// <param name="type">The blob's type.</param>
    /// <param name="id">The blob's id (keyed hash of its plaintext).</param>
    /// <param name="sealedBlob">The blob as sealed by <see cref="BlobSealer"/>; copied, so the caller may reuse the
    /// buffer as soon as the call returns.</param>
    /// <param name="rawLength">The blob's plaintext length.</param>
    /// <param name="cancellationToken">Cancels a pack write; the pending blobs then stay pending, and when it was the
    /// write before this blob that failed, this blob is not added (add it again).</param>
    /// <returns>The pack written by this call, or null when the blobs are still collecting. A blob with the same id and
    /// type as a pending one is ignored (null).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined, or a length is impossible
    /// for a sealed blob (under 47 bytes, over <see cref="MaxSealedBlobLength"/>, or longer than
    /// <paramref name="rawLength"/> + 47).</exception>
    /// <exception cref="StorageException">The pack could not be stored.</exception>
    /// <exception cref="ObjectDisposedException">The writer or its repository was disposed.</exception>
    public async ValueTask<PackResult?> AddAsync(BlobType type, BlobId id, ReadOnlyMemory<byte> sealedBlob, int rawLength,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = PackFormat.KindOf(type);
        ArgumentOutOfRangeException.ThrowIfNegative(rawLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rawLength, Envelope.MaxPlaintextLength);
        var length = sealedBlob.Length;
        if (length < Envelope.Overhead || length > MaxSealedBlobLength || length > (long)rawLength + Envelope.Overhead)
        {
            throw new ArgumentOutOfRangeException(nameof(sealedBlob), length,
                $"A sealed blob of {rawLength} plaintext bytes is {Envelope.Overhead} to {(long)rawLength + Envelope.Overhead} " +
                $"bytes long (and at most {MaxSealedBlobLength}); seal it with BlobSealer.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_pendingIds.Contains((id, type)))
        {
            return null;
        }

        // The pending blobs go out before a blob that would take them past the pack size, so the buffer never needs
        // more than the pack size (or one larger blob): topping a full pack up with an 8 MiB chunk and then writing it
        // had doubled the buffer to 34 MiB, the largest single cause of a 1 GiB backup's peak memory.
        PackResult? written = null;
        if (_pending.Count > 0 && (_used + (long)length > PackSize || _pending.Count >= PackFormat.MaxBlobsPerPack))
        {
            written = await WritePackAsync(cancellationToken).ConfigureAwait(false);
        }

        EnsureCapacity(_used + length);
        sealedBlob.Span.CopyTo(_buffer.AsSpan(_used));
        _pendingIds.Add((id, type));
        _pending.Add(new PendingBlob(type, id, _used, length, rawLength));
        _used += length;

        // A pack filled exactly, or one blob as large as a pack, is written now unless this call wrote one already;
        // then it waits for the next call or the flush.
        if (written is null && _used >= PackSize)
        {
            written = await WritePackAsync(cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    /// <summary>Writes the pending blobs as a pack, whatever their size.</summary>
    /// <param name="cancellationToken">Cancels the write; the blobs then stay pending.</param>
    /// <returns>The pack written, or null when nothing was pending.</returns>
    /// <exception cref="StorageException">The pack could not be stored.</exception>
    /// <exception cref="ObjectDisposedException">The writer or its repository was disposed.</exception>
    public async Task<PackResult?> FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _pending.Count == 0 ? null : await WritePackAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lets go of the buffer and drops pending blobs without writing them.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pending.Clear();
        _pendingIds.Clear();
        _used = 0;
        if (_buffer is not null)
        {
            _buffer = null;
        }
    }

    private async Task<PackResult> WritePackAsync(CancellationToken cancellationToken)
    {
        var count = _pending.Count;
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        // Random order, so a pack's layout never mirrors the order of files in the tree.
        RandomNumberGenerator.Shuffle(order.AsSpan());

        var headerPlaintextLength = PackFormat.GetHeaderPlaintextLength(count);
        var headerPlaintext = ArrayPool<byte>.Shared.Rent(headerPlaintextLength);
        try
        {
            var blobs = new PackedBlob[count];
            headerPlaintext[0] = PackFormat.HeaderVersion;
            BinaryPrimitives.WriteUInt32LittleEndian(headerPlaintext.AsSpan(1), (uint)count);
            long offset = 0;
            for (var i = 0; i < count; i++)
            {
                var pending = _pending[order[i]];
                blobs[i] = new PackedBlob(pending.Type, pending.Id, offset, pending.Length, pending.RawLength);
                PackFormat.WriteEntry(
                    headerPlaintext.AsSpan(PackFormat.HeaderPrefixLength + (i * PackFormat.EntryLength), PackFormat.EntryLength),
                    blobs[i]);
                offset += pending.Length;
            }

            var sealedHeader = _headerSealer.Seal(ObjectKind.PackHeader, default, headerPlaintext.AsSpan(0, headerPlaintextLength));
            // The pack is hashed and streamed out slice by slice in the shuffled order, never assembled in a second buffer.
            var tail = new byte[sealedHeader.Length + PackFormat.TrailerLength];
            sealedHeader.CopyTo(tail, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(tail.AsSpan(sealedHeader.Length), (uint)sealedHeader.Length);
            var segments = new (int Start, int Length)[count];
            using var hasher = Blake3Hasher.Create();
            for (var i = 0; i < count; i++)
            {
                var pending = _pending[order[i]];
                segments[i] = (pending.Start, pending.Length);
                hasher.Update(_buffer.AsSpan(pending.Start, pending.Length));
            }

            hasher.Update(tail);
            var hash = new byte[PackId.Size];
            hasher.Finalize(hash);
            var packId = new PackId(hash);
            var position = (long)_used + tail.Length;
            try
            {
                await using var content = new SegmentStream(_buffer!, segments, tail);
                await _backend.WriteOnceAsync(RepositoryPaths.Pack(packId), content, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectExistsException)
            {
                // The name is the hash of the content, so the existing object holds these very bytes.
            }

            _pending.Clear();
            _pendingIds.Clear();
            _used = 0;
            return new PackResult(packId, position, blobs);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(headerPlaintext);
        }
    }

    private void EnsureCapacity(long needed)
    {
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"A pack of {needed} bytes is too large to collect in memory.");
        }

        if (_buffer is not null && _buffer.Length >= needed)
        {
            return;
        }

        // Grown to fit, not doubled: blobs never take the pending bytes past the pack size, so only a blob larger than
        // the pack size itself needs more, and then exactly that.
        var size = Math.Max(needed, PackSize);
        var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(size, Array.MaxLength));
        _buffer?.AsSpan(0, _used).CopyTo(grown);

        _buffer = grown;
    }

    private readonly record struct PendingBlob(BlobType Type, BlobId Id, int Start, int Length, int RawLength);
}
