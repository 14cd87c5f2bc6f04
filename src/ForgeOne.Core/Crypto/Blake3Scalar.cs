namespace ForgeOne.Core.Crypto;

/// <summary>The portable many-input kernel: each input is compressed block by block on its own.</summary>
internal static unsafe class Blake3Scalar
{
    /// <summary>
    /// Hashes <paramref name="count"/> inputs of <paramref name="blocks"/> blocks each, laid out back to back,
    /// and writes one 32-byte chaining value per input.
    /// </summary>
    internal static void HashMany(byte* inputs, nint count, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        int inputLength = blocks * Blake3Compression.BlockLength;
        for (nint i = 0; i < count; i++)
        {
            Blake3Words8 cv = default;
            for (int w = 0; w < 8; w++)
            {
                cv[w] = key[w];
            }

            byte* input = inputs + i * inputLength;
            uint blockFlags = flags | flagsStart;
            for (int b = 0; b < blocks; b++)
            {
                if (b == blocks - 1)
                {
                    blockFlags |= flagsEnd;
                }

                Blake3Compression.CompressInPlace(ref cv, new ReadOnlySpan<byte>(input + b * Blake3Compression.BlockLength, Blake3Compression.BlockLength),
                    Blake3Compression.BlockLength, counter, blockFlags);
                blockFlags = flags;
            }

            Blake3Compression.WordsToBytes(cv, new Span<byte>(output + i * Blake3Compression.OutLength, Blake3Compression.OutLength));
            if (incrementCounter)
            {
                counter++;
            }
        }
    }
}
