namespace ForgeOne.Core.Crypto;

/// <summary>The state of the one chunk (up to 1 KiB) that is being filled byte by byte.</summary>
internal struct Blake3ChunkState
{
    internal Blake3Words8 Cv;
    internal ulong ChunkCounter;
    internal Blake3Block Buffer;
    internal int BufferLength;
    internal int BlocksCompressed;
    internal uint Flags;

    internal Blake3ChunkState(in Blake3Words8 key, ulong chunkCounter, uint flags)
    {
        Cv = key;
        ChunkCounter = chunkCounter;
        Flags = flags;
    }

    /// <summary>Bytes of this chunk taken in so far.</summary>
    internal readonly int Length => BlocksCompressed * Blake3Compression.BlockLength + BufferLength;

    private readonly uint StartFlag => BlocksCompressed == 0 ? Blake3Compression.ChunkStart : 0;

    /// <summary>Adds input; the caller never passes more than the chunk has room for.</summary>
    internal void Update(ReadOnlySpan<byte> input)
    {
        if (BufferLength > 0)
        {
            int take = Math.Min(Blake3Compression.BlockLength - BufferLength, input.Length);
            input[..take].CopyTo(((Span<byte>)Buffer)[BufferLength..]);
            BufferLength += take;
            input = input[take..];

            // The buffered block is compressed only once more input proves it is not the chunk's last block.
            if (!input.IsEmpty)
            {
                Blake3Compression.CompressInPlace(ref Cv, Buffer, Blake3Compression.BlockLength, ChunkCounter, Flags | StartFlag);
                BlocksCompressed++;
                BufferLength = 0;
                ((Span<byte>)Buffer).Clear();
            }
        }

        while (input.Length > Blake3Compression.BlockLength)
        {
            Blake3Compression.CompressInPlace(ref Cv, input[..Blake3Compression.BlockLength], Blake3Compression.BlockLength, ChunkCounter, Flags | StartFlag);
            BlocksCompressed++;
            input = input[Blake3Compression.BlockLength..];
        }

        input.CopyTo(((Span<byte>)Buffer)[BufferLength..]);
        BufferLength += input.Length;
    }

    /// <summary>The pending last block of this chunk.</summary>
    internal readonly Blake3Output Output()
    {
        Blake3Output output = default;
        output.InputCv = Cv;
        ((ReadOnlySpan<byte>)Buffer)[..BufferLength].CopyTo(output.Block);
        output.BlockLength = (uint)BufferLength;
        output.Counter = ChunkCounter;
        output.Flags = Flags | StartFlag | Blake3Compression.ChunkEnd;
        return output;
    }

    /// <summary>Overwrites the chunk's chaining value and buffered input.</summary>
    internal void Clear()
    {
        ((Span<uint>)Cv).Clear();
        ((Span<byte>)Buffer).Clear();
        BufferLength = 0;
        BlocksCompressed = 0;
    }
}
