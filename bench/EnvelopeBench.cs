using System.Diagnostics;
using System.Security.Cryptography;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Bench;

/// <summary>
/// Seal and open throughput of the envelope, single-threaded and with two workers sharing one sealer,
/// plus the cost the AesGcm pool saves, and the same with zstd on compressible and random data. Run: dotnet run -c Release --project bench -- envelope
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

        // With compression on (the default sealer): seal and open, single-threaded and two workers.
        using var compressing = new ObjectSealer(key);
        foreach (var (name, plaintext) in new[]
        {
            ("64 B text", Text(64)),
            ("1 MiB text", Text(1 << 20)),
            ("1 MiB random", RandomNumberGenerator.GetBytes(1 << 20)),
        })
        {
            var iterations = plaintext.Length >= 1 << 20 ? 200 : 100_000;
            var sealedBuffer = new byte[Envelope.GetMaxSealedLength(plaintext.Length)];
            var opened = new byte[plaintext.Length];
            var sealedLength = 0;
            var seal = Time(iterations, () => sealedLength = compressing.Seal(ObjectKind.Chunk, id, plaintext, sealedBuffer));
            var open = Time(iterations, () => opener.Open(ObjectKind.Chunk, id, sealedBuffer.AsSpan(0, sealedLength), opened));
            var parallelSeal = TimeParallel(iterations, () =>
            {
                var buffer = new byte[Envelope.GetMaxSealedLength(plaintext.Length)];
                return () => compressing.Seal(ObjectKind.Chunk, id, plaintext, buffer);
            });
            Console.WriteLine(
                $"zstd-3 {name,-12}: sealed {sealedLength} B, seal {seal:F2} µs, open {open:F2} µs, " +
                $"2 workers seal {parallelSeal:F2} µs/object");
        }

        return 0;
    }

    private static byte[] Text(int length)
    {
        var text = new byte[length];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = (byte)"the quick brown fox "[i % 20];
        }

        return text;
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
