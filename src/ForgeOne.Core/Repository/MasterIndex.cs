namespace ForgeOne.Core.Repository;

/// <summary>
/// The in-memory index of every blob in the repository: blob id and type → pack, offset, sealed length and plaintext
/// length. Loaded from all (non-superseded) index files when the repository opens; grows as packs are written.
/// </summary>
/// <remarks>
/// <para><b>Memory.</b> One <see cref="Dictionary{TKey, TValue}"/> per blob type maps the 32-byte <see cref="BlobId"/>
/// to a 16-byte entry (pack ordinal, offset, length, plaintext length: four 32-bit values); each pack id is stored once
/// in an ordinal table. A dictionary slot costs 4 + 4 + 32 + 16 = 56 bytes plus a 4-byte bucket, so an index loaded
/// with its size known in advance takes about 60 bytes per blob, and one grown by doubling up to about 85 (see
/// docs/design.md, "Index memory"). Separate tables per type keep a data chunk and a tree with identical bytes (hence
/// one id) apart at no cost per entry.</para>
/// <para><b>Duplicates.</b> A blob already present keeps its first location; adding a pack again changes nothing.</para>
/// <para><b>Thread-safety:</b> all members may be called from any number of threads at once (a lock guards the
/// tables; lookups take well under a microsecond, far below the cost of the chunk they deduplicate).</para>
/// </remarks>
public sealed class MasterIndex
{
    private readonly object _gate = new();
    private readonly Dictionary<BlobId, Entry> _data = [];
    private readonly Dictionary<BlobId, Entry> _trees = [];
    private readonly List<PackId> _packs = [];
    private readonly Dictionary<PackId, int> _packOrdinals = [];

    /// <summary>Number of blobs (data and tree) in the index.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _data.Count + _trees.Count;
            }
        }
    }

    /// <summary>Number of packs in the index.</summary>
    public int PackCount
    {
        get
        {
            lock (_gate)
            {
                return _packs.Count;
            }
        }
    }

    /// <summary>The packs in the index, in the order they were added; a copy taken at the time of the call.</summary>
    public IReadOnlyList<PackId> PackIds
    {
        get
        {
            lock (_gate)
            {
                return _packs.ToArray();
            }
        }
    }

    /// <summary>True when the index has a blob with this id and type.</summary>
    /// <param name="id">The blob's id.</param>
    /// <param name="type">The blob's type.</param>
    /// <returns>True when the blob is stored in some pack.</returns>
    public bool Contains(BlobId id, BlobType type)
    {
        var table = TableFor(type);
        lock (_gate)
        {
            return table.ContainsKey(id);
        }
    }

    /// <summary>True when the index lists this pack.</summary>
    /// <param name="id">The pack's id.</param>
    /// <returns>True when some index entry points into the pack.</returns>
    public bool ContainsPack(PackId id)
    {
        lock (_gate)
        {
            return _packOrdinals.ContainsKey(id);
        }
    }

    /// <summary>Looks up where a blob is stored.</summary>
    /// <param name="id">The blob's id.</param>
    /// <param name="type">The blob's type.</param>
    /// <param name="blob">The blob's location, or <c>default</c> when absent.</param>
    /// <returns>True when the blob is in the index.</returns>
    public bool TryGet(BlobId id, BlobType type, out IndexedBlob blob)
    {
        var table = TableFor(type);
        lock (_gate)
        {
            if (table.TryGetValue(id, out var entry))
            {
                blob = new IndexedBlob(_packs[entry.PackOrdinal], type, id, entry.Offset, (int)entry.Length, (int)entry.RawLength);
                return true;
            }
        }

        blob = default;
        return false;
    }

    /// <summary>Adds every blob of a written pack. Blobs already in the index keep their first location.</summary>
    /// <param name="pack">The pack, from <see cref="PackWriter"/> or an index file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pack"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A blob's offset does not fit 32 bits (packs are under 4 GiB).</exception>
    public void Add(PackResult pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        foreach (var blob in pack.Blobs)
        {
            if (blob.Offset is < 0 or > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(pack), blob.Offset,
                    $"Blob {blob.Id} of {pack} has an offset that does not fit 32 bits.");
            }
        }

        lock (_gate)
        {
            if (!_packOrdinals.TryGetValue(pack.Id, out var ordinal))
            {
                ordinal = _packs.Count;
                _packs.Add(pack.Id);
                _packOrdinals.Add(pack.Id, ordinal);
            }

            foreach (var blob in pack.Blobs)
            {
                TableFor(blob.Type).TryAdd(
                    blob.Id, new Entry(ordinal, (uint)blob.Offset, (uint)blob.Length, (uint)blob.RawLength));
            }
        }
    }

    /// <summary>Reserves room so that loading a known number of blobs does not grow the tables by doubling.</summary>
    internal void EnsureCapacity(int dataBlobs, int treeBlobs, int packs)
    {
        lock (_gate)
        {
            _data.EnsureCapacity(dataBlobs);
            _trees.EnsureCapacity(treeBlobs);
            _packs.Capacity = Math.Max(_packs.Capacity, packs);
            _packOrdinals.EnsureCapacity(packs);
        }
    }

    private Dictionary<BlobId, Entry> TableFor(BlobType type) => type switch
    {
        BlobType.Data => _data,
        BlobType.Tree => _trees,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown blob type."),
    };

    /// <summary>16 bytes per blob: the pack is an ordinal into the pack table, not a 32-byte id.</summary>
    private readonly record struct Entry(int PackOrdinal, uint Offset, uint Length, uint RawLength);
}
