using System.Diagnostics;
using System.Globalization;
using ForgeOne.Core.Chunking;

namespace ForgeOne.Bench;

/// <summary>
/// FastCDC throughput: chunks random data held in memory, single-threaded, with the default sizes.
/// Usage: <c>dotnet run -c Release --project bench -- chunker [MiB] [runs]</c> (defaults 1024 MiB, 5 runs).
/// </summary>
public static class ChunkerBench
{
    /// <summary>Runs the benchmark and prints the best run of each loop variant.</summary>
    public static int Run(string[] args)
    {
        var mebibytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var data = new byte[(long)mebibytes * 1024 * 1024];
        new Random(42).NextBytes(data);
        var secret = new byte[GearTable.SecretLength];
        new Random(7).NextBytes(secret);
        var chunker = new FastCdcChunker(GearTable.FromSecret(secret));

        Console.WriteLine($"FastCDC, {mebibytes} MiB random data in memory, 1 thread, min/avg/max = " +
            $"{chunker.Options.MinimumSize}/{chunker.Options.AverageSize}/{chunker.Options.MaximumSize}, best of {runs}");
        Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");

        Measure("two bytes per step (FindCutPoint)", data, runs, span => chunker.FindCutPoint(span));
        Measure("one byte per step (reference)", data, runs, span => chunker.FindCutPointOneByteAtATime(span));
        MeasureStream(chunker, data, runs);
        return 0;
    }

    private static void Measure(string name, byte[] data, int runs, CutFinder find)
    {
        var best = double.MaxValue;
        var chunks = 0;
        for (var run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            chunks = 0;
            ReadOnlySpan<byte> rest = data;
            while (!rest.IsEmpty)
            {
                rest = rest[find(rest)..];
                chunks++;
            }

            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        Report(name, data.Length, best, chunks);
    }

    private static void MeasureStream(FastCdcChunker chunker, byte[] data, int runs)
    {
        var best = double.MaxValue;
        var chunks = 0;
        for (var run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            chunks = 0;
            using var streamChunker = new StreamChunker(new MemoryStream(data, writable: false), chunker);
            while (streamChunker.ReadNext())
            {
                chunks++;
            }

            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        Report("StreamChunker over MemoryStream (copies)", data.Length, best, chunks);
    }

    private static void Report(string name, long bytes, double seconds, int chunks) =>
        Console.WriteLine($"  {name,-42} {bytes / seconds / 1e9,6:F2} GB/s  {chunks} chunks, " +
            $"mean {bytes / (double)chunks / (1024 * 1024):F2} MiB");

    private delegate int CutFinder(ReadOnlySpan<byte> data);
}
