using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ForgeOne.Core.Compression;
using ZstdSharp;

namespace ForgeOne.Bench;

/// <summary>
/// Cost of <see cref="ChunkCompressor.Compress"/> on 1 MiB chunks of random data (rejected by the sample) and of
/// log-like text (compressed at level 3), single-threaded, plus plain zstd on random data for comparison.
/// Usage: <c>dotnet run -c Release --project bench -- compression [MiB] [runs]</c> (defaults 256 MiB, 3 runs).
/// </summary>
public static class CompressionBench
{
    private const int ChunkLength = 1024 * 1024;

    /// <summary>Runs the benchmark and prints the best run of each case.</summary>
    public static int Run(string[] args)
    {
        var mebibytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var random = new byte[mebibytes * ChunkLength];
        new Random(42).NextBytes(random);
        var text = LogText(random.Length);

        Console.WriteLine($"ChunkCompressor, {mebibytes} MiB in 1 MiB chunks, 1 thread, level {ChunkCompressor.DefaultLevel}, best of {runs}");
        using var compressor = new ChunkCompressor();
        var output = new ArrayBufferWriter<byte>(2 * ChunkLength);
        Measure("Compress, random (sample rejects)", random, runs, chunk =>
        {
            output.ResetWrittenCount();
            compressor.Compress(chunk, output);
            return output.WrittenCount;
        });
        Measure("Compress, log text", text, runs, chunk =>
        {
            output.ResetWrittenCount();
            compressor.Compress(chunk, output);
            return output.WrittenCount;
        });

        using var plain = new Compressor(ChunkCompressor.DefaultLevel);
        var plainOutput = new byte[Compressor.GetCompressBound(ChunkLength)];
        Measure("plain zstd level 3, random (no sample)", random, runs, chunk => plain.Wrap(chunk, plainOutput));

        var stored = new List<(CompressionCodec Codec, byte[] Payload)>();
        for (var offset = 0; offset < text.Length; offset += ChunkLength)
        {
            output.ResetWrittenCount();
            var codec = compressor.Compress(text.AsSpan(offset, ChunkLength), output);
            stored.Add((codec, output.WrittenSpan.ToArray()));
        }

        var best = double.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            foreach (var (codec, payload) in stored)
            {
                output.ResetWrittenCount();
                compressor.Decompress(codec, payload, output, ChunkLength);
            }

            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"  {"Decompress, log text",-40} {text.Length / best / 1e9,6:F2} GB/s of output");
        return 0;
    }

    private static void Measure(string name, byte[] data, int runs, Func<byte[], int> compressChunk)
    {
        var chunk = new byte[ChunkLength];
        var best = double.MaxValue;
        long storedBytes = 0;
        for (var run = 0; run < runs; run++)
        {
            storedBytes = 0;
            var elapsed = TimeSpan.Zero;
            for (var offset = 0; offset < data.Length; offset += ChunkLength)
            {
                // Copying each chunk out is not timed; it keeps the delegate's signature simple.
                data.AsSpan(offset, ChunkLength).CopyTo(chunk);
                var stopwatch = Stopwatch.StartNew();
                storedBytes += compressChunk(chunk);
                elapsed += stopwatch.Elapsed;
            }

            best = Math.Min(best, elapsed.TotalSeconds);
        }

        Console.WriteLine($"  {name,-40} {data.Length / best / 1e9,6:F2} GB/s of input, stored {100.0 * storedBytes / data.Length:F1} %");
    }

    private static byte[] LogText(int length)
    {
        var random = new Random(1);
        string[] levels = ["INFO", "WARN", "DEBUG", "ERROR"];
        string[] messages = ["request completed", "cache miss for key", "connection opened from", "retrying upload of pack"];
        var text = new StringBuilder(length + 200);
        var time = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        while (text.Length < length)
        {
            time = time.AddMilliseconds(random.Next(1, 5000));
            text.Append(time.ToString("O", CultureInfo.InvariantCulture))
                .Append(' ').Append(levels[random.Next(levels.Length)])
                .Append(" [worker-").Append(random.Next(8)).Append("] ")
                .Append(messages[random.Next(messages.Length)])
                .Append(" id=").Append(random.Next(100_000))
                .Append(" elapsed_ms=").Append(random.Next(2000)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString())[..length];
    }
}
