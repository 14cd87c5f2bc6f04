using System.Diagnostics;
using System.Security.Cryptography;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Bench;

/// <summary>
/// Seal and open throughput of the envelope, single-threaded and with two workers sharing one sealer,
/// plus the cost the AesGcm pool saves. Run: dotnet run -c Release --project bench -- envelope
/// </summary>
public static class EnvelopeBench
{
    public static int Run(string[] args)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using var sealer = new ObjectSealer(key, new EnvelopeOptions { Compress = false });
        using var opener = new ObjectOpener(key);
        var id = RandomNumberGenerator.GetBytes(32);

        foreach (var size in new[] { 64, 4096, 1 << 20 })
        {
            var plaintext = RandomNumberGenerator.GetBytes(size);
            var sealedBuffer = new byte[Envelope.GetMaxSealedLength(size)];
            var opened = new byte[size];
            var iterations = size >= 1 << 20 ? 500 : 100_000;

            var sealedLength = 0;
            var seal = Time(iterations, () => sealedLength = sealer.Seal(ObjectKind.Chunk, id, plaintext, sealedBuffer));
            var open = Time(iterations, () => opener.Open(ObjectKind.Chunk, id, sealedBuffer.AsSpan(0, sealedLength), opened));
            var parallelSeal = TimeParallel(iterations, () =>
            {
                var buffer = new byte[Envelope.GetMaxSealedLength(size)];
                return () => sealer.Seal(ObjectKind.Chunk, id, plaintext, buffer);
            });
            Console.WriteLine(
                $"{size,8} B: seal {seal:F2} µs ({size / seal:F0} MB/s), open {open:F2} µs ({size / open:F0} MB/s), " +
                $"2 workers seal {parallelSeal:F2} µs/object");
        }

        // What pooling AesGcm saves: a key schedule per call.
        var nonce = new byte[12];
        var tag = new byte[16];
        var small = new byte[64];
        var perCall = Time(100_000, () =>
        {
            using var aes = new AesGcm(key, 16);
            aes.Encrypt(nonce, small, small, tag);
        });
        using var cached = new AesGcm(key, 16);
        var reused = Time(100_000, () => cached.Encrypt(nonce, small, small, tag));
        Console.WriteLine($"AesGcm 64 B: new per call {perCall:F2} µs, reused {reused:F2} µs");

        var compressible = new byte[1 << 20];
        for (var i = 0; i < compressible.Length; i++)
        {
            compressible[i] = (byte)"the quick brown fox "[i % 20];
        }

        using var compressing = new ObjectSealer(key);
        var compressed = Time(200, () => compressing.Seal(ObjectKind.Chunk, id, compressible));
        var incompressible = RandomNumberGenerator.GetBytes(1 << 20);
        var skipped = Time(200, () => compressing.Seal(ObjectKind.Chunk, id, incompressible));
        Console.WriteLine($"1 MiB with zstd-3: compressible {compressed:F0} µs, random (tried, stored raw) {skipped:F0} µs");
        return 0;
    }

    private static double Time(int iterations, Action action)
    {
        for (var i = 0; i < Math.Min(iterations, 1000); i++)
        {
            action();
        }

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        return stopwatch.Elapsed.TotalMicroseconds / iterations;
    }

    private static double TimeParallel(int iterations, Func<Action> makeWorker)
    {
        var workers = new[] { makeWorker(), makeWorker() };
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(0, workers.Length, w =>
        {
            for (var i = 0; i < iterations / 2; i++)
            {
                workers[w]();
            }
        });
        return stopwatch.Elapsed.TotalMicroseconds / iterations;
    }
}
