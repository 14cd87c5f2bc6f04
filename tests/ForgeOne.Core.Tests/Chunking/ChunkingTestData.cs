using ForgeOne.Core.Chunking;

namespace ForgeOne.Core.Tests.Chunking;

/// <summary>Deterministic inputs and helpers shared by the chunking tests.</summary>
internal static class ChunkingTestData
{
    public static byte[] Secret(byte seed)
    {
        var secret = new byte[GearTable.SecretLength];
        for (var i = 0; i < secret.Length; i++)
        {
            secret[i] = (byte)(seed + i);
        }

        return secret;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Splits the whole input with the span API, the reference for every other path.</summary>
    public static List<int> CutAll(FastCdcChunker chunker, ReadOnlySpan<byte> data)
    {
        var lengths = new List<int>();
        while (!data.IsEmpty)
        {
            var length = chunker.FindCutPoint(data);
            lengths.Add(length);
            data = data[length..];
        }

        return lengths;
    }
}
