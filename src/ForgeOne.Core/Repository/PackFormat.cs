using System.Buffers.Binary;
using System.Globalization;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// The pack layout, version 1 (docs/design.md, "Pack files"):
/// <c>blob[0] || … || blob[n-1] || header || headerLength:u32le</c>, where the header is an envelope
/// (<see cref="ObjectKind.PackHeader"/>, empty id) sealing <c>0x01 || count:u32le || entry[count]</c> and
/// <c>entry = type:u8 || length:u32le || rawLength:u32le || id[32]</c>.
/// </summary>
internal static class PackFormat
{
    public const byte HeaderVersion = 1;
    public const int HeaderPrefixLength = 1 + 4;
    public const int EntryLength = 1 + 4 + 4 + BlobId.Size;
    public const int TrailerLength = 4;

    /// <summary>Most blobs a writer puts in one pack, which keeps a header under 41 MB.</summary>
    public const int MaxBlobsPerPack = 1_000_000;

    /// <summary>Largest sealed header a reader accepts (generous: writers stay far below it).</summary>
    public const int MaxSealedHeaderLength = 256 * 1024 * 1024;

    /// <summary>Smallest sealed header: an envelope around a header with no entries.</summary>
    public const int MinSealedHeaderLength = Envelope.Overhead + HeaderPrefixLength;

    public static int GetHeaderPlaintextLength(int count) => HeaderPrefixLength + (count * EntryLength);

    public static ObjectKind KindOf(BlobType type) => type switch
    {
        BlobType.Data => ObjectKind.Chunk,
        BlobType.Tree => ObjectKind.Tree,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown blob type."),
    };

    public static bool IsKnownType(byte type) => type <= (byte)BlobType.Tree;

    public static void WriteEntry(Span<byte> destination, in PackedBlob blob)
    {
        destination[0] = (byte)blob.Type;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], (uint)blob.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[5..], (uint)blob.RawLength);
        blob.Id.CopyTo(destination.Slice(9, BlobId.Size));
    }

    /// <summary>Parses and checks a header's plaintext against the pack's length.</summary>
    public static PackedBlob[] ParseHeader(PackId packId, ReadOnlySpan<byte> plaintext, long blobBytes)
    {
        if (plaintext.Length < HeaderPrefixLength)
        {
            throw new MalformedPackException(packId, $"its header is {plaintext.Length} bytes, too short for a count");
        }

        if (plaintext[0] != HeaderVersion)
        {
            throw new UnsupportedFormatException(ObjectKind.PackHeader, packId.ToString(), "pack header version",
                plaintext[0].ToString(CultureInfo.InvariantCulture), "1");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(plaintext[1..]);
        if ((ulong)plaintext.Length != HeaderPrefixLength + ((ulong)count * EntryLength))
        {
            throw new MalformedPackException(packId,
                $"its header says it holds {count} blobs but has room for {(plaintext.Length - HeaderPrefixLength) / (double)EntryLength:0.##}");
        }

        var blobs = new PackedBlob[count];
        long offset = 0;
        var entries = plaintext[HeaderPrefixLength..];
        for (var i = 0; i < blobs.Length; i++)
        {
            var entry = entries.Slice(i * EntryLength, EntryLength);
            if (!IsKnownType(entry[0]))
            {
                throw new MalformedPackException(packId, $"header entry {i} has unknown blob type {entry[0]}");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(entry[1..]);
            var rawLength = BinaryPrimitives.ReadUInt32LittleEndian(entry[5..]);
            if (length < Envelope.Overhead || length > int.MaxValue || rawLength > Envelope.MaxPlaintextLength)
            {
                throw new MalformedPackException(packId,
                    $"header entry {i} has a blob length of {length} (plaintext {rawLength}), which no sealed blob can have");
            }

            blobs[i] = new PackedBlob((BlobType)entry[0], new BlobId(entry.Slice(9, BlobId.Size)), offset, (int)length, (int)rawLength);
            offset += length;
        }

        if (offset != blobBytes)
        {
            throw new MalformedPackException(packId,
                $"its header lists {offset} bytes of blobs, but the pack has {blobBytes} bytes before the header");
        }

        return blobs;
    }
}
