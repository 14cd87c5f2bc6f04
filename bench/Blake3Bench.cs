using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Bench;

/// <summary>
/// Times BLAKE3 over a file: single-threaded (<see cref="Blake3Hasher.Update(ReadOnlySpan{byte})"/> over the memory-mapped
/// file) and multi-threaded (<see cref="Blake3.HashFile"/>). Usage: <c>blake3 FILE [RUNS] [BACKEND]</c>.
/// </summary>
public static class Blake3Bench
{
    /// <summary>Runs the benchmark; prints one line per mode and returns the process exit code.</summary>
    /// <param name="args">The file to hash, optionally the number of runs (best of, default 5) and a forced backend.</param>
    /// <returns>0 on success, 2 on bad arguments.</returns>
    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 3 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: blake3 FILE [RUNS] [Auto|Scalar|Vector128|Vector256|Vector512]");
            return 2;
        }

        string path = args[0];
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Blake3Backend backend = args.Length > 2 ? Enum.Parse<Blake3Backend>(args[2], ignoreCase: true) : Blake3Backend.Auto;
        long length = new FileInfo(path).Length;
        Console.WriteLine($"# file {path}, {length} bytes, backend {Blake3Dispatch.Resolve(backend)}, {Environment.ProcessorCount} processors, best of {runs}");

        string single = Measure("single-threaded", length, runs, () => HashSingleThreaded(path, backend));
        string multi = Measure("multi-threaded", length, runs, () => Blake3.HashFile(path, default, Blake3.HashSize, -1, backend));
        if (single != multi)
        {
            Console.Error.WriteLine($"single-threaded and multi-threaded hashes differ: {single} vs {multi}");
            return 1;
        }

        // Hashing an array already in memory separates the kernels' speed from the cost of mapping the file.
        byte[] contents = File.ReadAllBytes(path);
        Measure("in-memory, single-threaded", length, runs, () =>
        {
            byte[] output = new byte[Blake3.HashSize];
            Blake3.Hash(contents, output, backend, maxDegreeOfParallelism: 1);
            return output;
        });

        Console.WriteLine($"# hash {single}");
        return 0;
    }

    private static string Measure(string mode, long length, int runs, Func<byte[]> hash)
    {
        byte[] result = hash(); // warm-up: JIT and page cache
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            result = hash();
            best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"forgeone\t{mode}\t{best:F4}\t{length / best / 1e9:F2}"));
        return Convert.ToHexStringLower(result);
    }

    private static unsafe byte[] HashSingleThreaded(string path, Blake3Backend backend)
    {
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        long length = new FileInfo(path).Length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            using Blake3Hasher hasher = Blake3Hasher.Create(backend);
            hasher.MaxDegreeOfParallelism = 1;
            hasher.Update(pointer + view.PointerOffset, length);
            byte[] output = new byte[Blake3.HashSize];
            hasher.Finalize(output);
            return output;
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }
}
