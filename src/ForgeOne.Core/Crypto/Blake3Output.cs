namespace ForgeOne.Core.Crypto;

/// <summary>
/// A node whose last compression has not run yet, because only the caller knows whether it is the root
/// (extended output with the ROOT flag) or an inner node (a chaining value).
/// </summary>
internal struct Blake3Output
{
    internal Blake3Words8 InputCv;
    internal Blake3Block Block;
    internal uint BlockLength;
    internal ulong Counter;
    internal uint Flags;

    /// <summary>The output of a parent node over two adjacent 32-byte child chaining values.</summary>
    internal static Blake3Output ForParent(ReadOnlySpan<byte> leftAndRight64, in Blake3Words8 key, uint flags)
    {
        Blake3Output output = default;
        output.InputCv = key;
        leftAndRight64[..Blake3Compression.BlockLength].CopyTo(output.Block);
        output.BlockLength = Blake3Compression.BlockLength;
        output.Counter = 0;
        output.Flags = flags | Blake3Compression.Parent;
        return output;
    }

    /// <summary>Writes this node's 32-byte chaining value.</summary>
    internal readonly void ChainingValue(Span<byte> output32)
    {
        Blake3Words8 cv = InputCv;
        Blake3Compression.CompressInPlace(ref cv, Block, BlockLength, Counter, Flags);
        Blake3Compression.WordsToBytes(cv, output32);
    }

    /// <summary>Fills <paramref name="output"/> with the root's extended output, starting at byte 0.</summary>
    internal readonly void RootBytes(Span<byte> output)
    {
        Span<byte> block = stackalloc byte[Blake3Compression.BlockLength];
        ulong outputBlockCounter = 0;
        while (!output.IsEmpty)
        {
            // Each 64-byte output block is an independent compression with its own counter, so XOF output is seekable.
            Blake3Compression.CompressXof(InputCv, Block, BlockLength, outputBlockCounter, Flags | Blake3Compression.Root, block);
            int take = Math.Min(output.Length, Blake3Compression.BlockLength);
            block[..take].CopyTo(output);
            output = output[take..];
            outputBlockCounter++;
        }

        block.Clear();
    }
}
