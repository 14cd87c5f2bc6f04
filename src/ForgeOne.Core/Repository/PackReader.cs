using System.Buffers;
using System.Buffers.Binary;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Repository;

/// <summary>Reads a pack's header: the trailer (last 4 bytes), then the sealed header just before it.</summary>
internal static class PackReader
{
    /// <summary>Reads, opens and validates the header of pack <paramref name="packId"/>.</summary>
    /// <exception cref="StorageObjectNotFoundException">The pack does not exist.</exception>
    /// <exception cref="MalformedPackException">The trailer, header or lengths are inconsistent, or the header fails
    /// authentication.</exception>
    /// <exception cref="UnsupportedFormatException">The header has an unknown version.</exception>
    public static async Task<PackHeader> ReadHeaderAsync(
        IStorageBackend backend, ObjectOpener opener, PackId packId, CancellationToken cancellationToken)
    {
        var name = RepositoryPaths.Pack(packId);
        var stat = await backend.StatAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageObjectNotFoundException(name, backend.Location);
        var packLength = stat.Length;
        if (packLength < PackFormat.MinSealedHeaderLength + PackFormat.TrailerLength)
        {
            throw new MalformedPackException(packId, $"it is {packLength} bytes, too short to hold a header");
        }

        var trailer = new byte[PackFormat.TrailerLength];
        var read = await backend.ReadAsync(name, packLength - PackFormat.TrailerLength, trailer, cancellationToken)
            .ConfigureAwait(false);
        if (read != trailer.Length)
        {
            throw new MalformedPackException(packId, "it became shorter while being read");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (headerLength < PackFormat.MinSealedHeaderLength || headerLength > PackFormat.MaxSealedHeaderLength
            || headerLength > packLength - PackFormat.TrailerLength)
        {
            throw new MalformedPackException(packId,
                $"its trailer gives a header length of {headerLength} bytes, which does not fit its {packLength} bytes " +
                "(typically a truncated pack)");
        }

        var headerOffset = packLength - PackFormat.TrailerLength - headerLength;
        var sealedHeader = ArrayPool<byte>.Shared.Rent((int)headerLength);
        try
        {
            read = await backend.ReadAsync(name, headerOffset, sealedHeader.AsMemory(0, (int)headerLength), cancellationToken)
                .ConfigureAwait(false);
            if (read != headerLength)
            {
                throw new MalformedPackException(packId, "it became shorter while being read");
            }

            byte[] plaintext;
            try
            {
                plaintext = opener.Open(ObjectKind.PackHeader, default, sealedHeader.AsSpan(0, (int)headerLength), (int)headerLength);
            }
            catch (IntegrityException ex)
            {
                throw new MalformedPackException(packId,
                    "its header failed authentication (modified, cut short, or not a pack of this repository)", ex);
            }

            var blobs = PackFormat.ParseHeader(packId, plaintext, headerOffset);
            return new PackHeader(packId, packLength, (int)headerLength, blobs);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sealedHeader);
        }
    }
}
