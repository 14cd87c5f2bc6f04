using System.Buffers.Binary;
using System.Globalization;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// The plaintext of one index file, format version 1 (docs/design.md, "Index files"): which packs exist and where each
/// of their blobs is, plus the ids of older index files this one supersedes.
/// </summary>
/// <remarks>
/// <code>
/// index     = 0x01 || supersededCount:u32le || supersededIndexId[32] × supersededCount
///             || packCount:u32le || packEntry[packCount]
/// packEntry = packId[32] || packLength:u64le || blobCount:u32le || blobEntry[blobCount]
/// blobEntry = type:u8 || id[32] || offset:u32le || length:u32le || rawLength:u32le      (45 bytes)
/// </code>
/// <para>The file is sealed as kind <see cref="ObjectKind.Index"/>, empty id, under the <see cref="KeyPurpose.Index"/> key,
/// and stored as <c>index/&lt;BLAKE3 of the sealed bytes&gt;</c> (<see cref="Repository.WriteIndexAsync(IReadOnlyList{PackResult}, CancellationToken)"/>).
/// An unknown version is an <see cref="UnsupportedFormatException"/>; anything else that does not parse (counts that
/// overrun the data, trailing bytes, unknown blob types, blobs outside their pack) is a
/// <see cref="MalformedObjectException"/>. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class IndexFile
{
    /// <summary>The only index format version this build reads and writes.</summary>
    public const byte FormatVersion = 1;

    /// <summary>
    /// Most blob entries a writer puts in one file (500,000, about 22 MB); larger sets are split over several files.
    /// A writer's choice, not a format limit.
    /// </summary>
    public const int MaxBlobsPerFile = 500_000;

    /// <summary>Largest index plaintext a reader accepts: 256 MiB.</summary>
    public const int MaxPlaintextLength = 256 * 1024 * 1024;

    private const int BlobEntryLength = 1 + BlobId.Size + 4 + 4 + 4;
    private const int PackEntryPrefixLength = PackId.Size + 8 + 4;

    /// <summary>Creates an index file's contents.</summary>
    /// <param name="packs">The packs to list; copied.</param>
    /// <param name="supersedes">Ids (64 lower-case hex digits) of index files this one replaces; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="packs"/> is null.</exception>
    /// <exception cref="ArgumentException">A superseded id is not 64 lower-case hex digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A blob's offset or the pack's length is out of range.</exception>
    public IndexFile(IEnumerable<PackResult> packs, IEnumerable<string>? supersedes = null)
    {
        ArgumentNullException.ThrowIfNull(packs);
        var packArray = packs.ToArray();
        var supersededArray = (supersedes ?? []).ToArray();
        foreach (var id in supersededArray)
        {
            if (!HexId.IsCanonical(id))
            {
                throw new ArgumentException($"'{id}' is not an index id (64 lower-case hex digits).", nameof(supersedes));
            }
        }

        foreach (var pack in packArray)
        {
            ArgumentNullException.ThrowIfNull(pack, nameof(packs));
            foreach (var blob in pack.Blobs)
            {
                if (blob.Offset is < 0 or > uint.MaxValue || blob.Length < 0 || blob.RawLength < 0
                    || blob.Offset + blob.Length > pack.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(packs), $"Blob {blob.Id} does not fit inside {pack}.");
                }
            }
        }

        Packs = Array.AsReadOnly(packArray);
        Supersedes = Array.AsReadOnly(supersededArray);
        BlobCount = packArray.Sum(p => (long)p.Blobs.Count);
    }

    /// <summary>Ids of the index files this one replaces; readers ignore those files.</summary>
    public IReadOnlyList<string> Supersedes { get; }

    /// <summary>The packs listed, each with its blobs.</summary>
    public IReadOnlyList<PackResult> Packs { get; }

    /// <summary>Total number of blob entries over all packs.</summary>
    public long BlobCount { get; }

    /// <summary>Serialises the index as specified in the remarks.</summary>
    /// <returns>The plaintext, ready to be sealed.</returns>
    /// <exception cref="InvalidOperationException">The file would exceed <see cref="MaxPlaintextLength"/>.</exception>
    public byte[] ToPlaintext()
    {
        var length = 1L + 4 + (Supersedes.Count * (long)HexId.Size) + 4
            + (Packs.Count * (long)PackEntryPrefixLength) + (BlobCount * BlobEntryLength);
        if (length > MaxPlaintextLength)
        {
            throw new InvalidOperationException(
                $"An index file of {BlobCount} blobs ({length} bytes) exceeds {MaxPlaintextLength} bytes; split it.");
        }

        var output = new byte[length];
        var span = output.AsSpan();
        span[0] = FormatVersion;
        var position = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(span[position..], (uint)Supersedes.Count);
        position += 4;
        foreach (var id in Supersedes)
        {
            _ = HexId.TryParse(id, out var parsed);
            parsed.CopyTo(span.Slice(position, HexId.Size));
            position += HexId.Size;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[position..], (uint)Packs.Count);
        position += 4;
        foreach (var pack in Packs)
        {
            pack.Id.CopyTo(span[position..]);
            BinaryPrimitives.WriteUInt64LittleEndian(span[(position + PackId.Size)..], (ulong)pack.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(position + PackId.Size + 8)..], (uint)pack.Blobs.Count);
            position += PackEntryPrefixLength;
            foreach (var blob in pack.Blobs)
            {
                var entry = span.Slice(position, BlobEntryLength);
                entry[0] = (byte)blob.Type;
                blob.Id.CopyTo(entry[1..]);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[33..], (uint)blob.Offset);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[37..], (uint)blob.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[41..], (uint)blob.RawLength);
                position += BlobEntryLength;
            }
        }

        return output;
    }

    /// <summary>Parses and validates an index file's plaintext.</summary>
    /// <param name="plaintext">The opened index file.</param>
    /// <param name="indexId">The file's id (for messages).</param>
    /// <returns>The parsed index file.</returns>
    /// <exception cref="UnsupportedFormatException">The version is not 1.</exception>
    /// <exception cref="MalformedObjectException">The plaintext does not follow the format.</exception>
    public static IndexFile Parse(ReadOnlySpan<byte> plaintext, string indexId)
    {
        if (plaintext.IsEmpty)
        {
            throw Malformed(indexId, "it is empty");
        }

        if (plaintext[0] != FormatVersion)
        {
            throw new UnsupportedFormatException(ObjectKind.Index, indexId, "index format version",
                plaintext[0].ToString(CultureInfo.InvariantCulture), "1");
        }

        var reader = new Reader(plaintext, indexId) { Position = 1 };
        var supersededCount = reader.ReadCount(HexId.Size, "superseded index");
        var superseded = new string[supersededCount];
        for (var i = 0; i < superseded.Length; i++)
        {
            superseded[i] = ObjectNames.ToHex(reader.Take(HexId.Size));
        }

        var packCount = reader.ReadCount(PackEntryPrefixLength, "pack");
        var packs = new PackResult[packCount];
        for (var p = 0; p < packs.Length; p++)
        {
            var packId = new PackId(reader.Take(PackId.Size));
            var packLength = BinaryPrimitives.ReadUInt64LittleEndian(reader.Take(8));
            if (packLength > long.MaxValue)
            {
                throw Malformed(indexId, $"pack {packId} has an impossible length {packLength}");
            }

            var blobCount = reader.ReadCount(BlobEntryLength, "blob");
            var blobs = new PackedBlob[blobCount];
            for (var b = 0; b < blobs.Length; b++)
            {
                var entry = reader.Take(BlobEntryLength);
                if (!PackFormat.IsKnownType(entry[0]))
                {
                    throw Malformed(indexId, $"pack {packId} lists a blob of unknown type {entry[0]}");
                }

                var id = new BlobId(entry.Slice(1, BlobId.Size));
                var offset = BinaryPrimitives.ReadUInt32LittleEndian(entry[33..]);
                var length = BinaryPrimitives.ReadUInt32LittleEndian(entry[37..]);
                var rawLength = BinaryPrimitives.ReadUInt32LittleEndian(entry[41..]);
                if (length < Envelope.Overhead || length > int.MaxValue || rawLength > Envelope.MaxPlaintextLength
                    || (ulong)offset + length > packLength)
                {
                    throw Malformed(indexId, $"blob {id} in pack {packId} has an impossible place or length");
                }

                blobs[b] = new PackedBlob((BlobType)entry[0], id, offset, (int)length, (int)rawLength);
            }

            packs[p] = new PackResult(packId, (long)packLength, blobs);
        }

        if (reader.Position != plaintext.Length)
        {
            throw Malformed(indexId, $"{plaintext.Length - reader.Position} bytes follow the last pack");
        }

        return new IndexFile(packs, superseded);
    }

    private static MalformedObjectException Malformed(string indexId, string problem) =>
        new(ObjectKind.Index, indexId, problem);

    private ref struct Reader(ReadOnlySpan<byte> data, string indexId)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; set; }

        public ReadOnlySpan<byte> Take(int length)
        {
            if (_data.Length - Position < length)
            {
                throw Malformed(indexId, $"it ends at byte {_data.Length} in the middle of an entry");
            }

            var slice = _data.Slice(Position, length);
            Position += length;
            return slice;
        }

        /// <summary>Reads a u32 count and checks that that many entries of at least <paramref name="entryLength"/>
        /// bytes fit in what is left, so a hostile count cannot make the reader allocate.</summary>
        public int ReadCount(int entryLength, string what)
        {
            var count = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
            if ((ulong)count * (ulong)entryLength > (ulong)(_data.Length - Position))
            {
                throw Malformed(indexId, $"it declares {count} {what} entries, more than its {_data.Length} bytes can hold");
            }

            return (int)count;
        }
    }
}
