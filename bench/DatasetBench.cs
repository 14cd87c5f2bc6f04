using System.Globalization;
using System.Text;

namespace ForgeOne.Bench;

/// <summary>
/// Writes the backup benchmark's data set, or changes about 5% of it: half random bytes (incompressible, as
/// photos and archives are), half log-like text, in many files and folders. Deterministic for a given seed.
/// </summary>
/// <remarks>
/// <c>dataset create DIR MiB</c> writes the set; <c>dataset mutate DIR</c> overwrites ranges inside some binaries,
/// rewrites some small text files and appends to logs, about 5% of the bytes in all.
/// </remarks>
public static class DatasetBench
{
    public static int Run(string[] args)
    {
        if (args.Length >= 3 && args[0] == "create")
        {
            Create(args[1], long.Parse(args[2], CultureInfo.InvariantCulture) << 20);
            return 0;
        }

        if (args.Length >= 2 && args[0] == "mutate")
        {
            Mutate(args[1]);
            return 0;
        }

        Console.Error.WriteLine("usage: dataset create DIR MiB | dataset mutate DIR");
        return 2;
    }

    private static void Create(string root, long totalBytes)
    {
        var random = new Random(20261124);
        long written = 0;
        for (var i = 0; written < totalBytes / 2; i++)
        {
            var size = random.Next(64 << 10, 6 << 20);
            var bytes = new byte[size];
            random.NextBytes(bytes);
            written += Write(Path.Combine(root, "media", $"d{i % 8}", $"blob-{i:0000}.bin"), bytes);
        }

        for (var i = 0; written < totalBytes; i++)
        {
            var size = i % 10 == 0 ? random.Next(512 << 10, 3 << 20) : random.Next(2 << 10, 96 << 10);
            written += Write(Path.Combine(root, "logs", $"svc{i % 16}", $"app-{i:00000}.log"), LogText(random, size));
        }
    }

    private static void Mutate(string root)
    {
        var random = new Random(7);
        var binaries = Directory.GetFiles(Path.Combine(root, "media"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var logs = Directory.GetFiles(Path.Combine(root, "logs"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var total = binaries.Concat(logs).Sum(f => new FileInfo(f).Length);
        var budget = total / 20;

        // A third of the budget: 64 KiB overwritten in place inside binaries, as a database or VM image changes.
        for (long changed = 0; changed < budget / 3;)
        {
            var file = binaries[random.Next(binaries.Length)];
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
            var patch = new byte[Math.Min(64 << 10, stream.Length)];
            random.NextBytes(patch);
            stream.Position = random.NextInt64(0, stream.Length - patch.Length + 1);
            stream.Write(patch);
            changed += patch.Length;
        }

        // A third: small text files rewritten.
        for (long changed = 0; changed < budget / 3;)
        {
            var file = logs[random.Next(logs.Length)];
            var size = (int)Math.Min(new FileInfo(file).Length, 96 << 10);
            changed += Write(file, LogText(random, size));
        }

        // A third: logs appended to.
        for (long changed = 0; changed < budget / 3;)
        {
            var file = logs[random.Next(logs.Length)];
            var more = LogText(random, 16 << 10);
            File.AppendAllText(file, Encoding.UTF8.GetString(more));
            changed += more.Length;
        }
    }

    private static byte[] LogText(Random random, int size)
    {
        var text = new StringBuilder(size + 200);
        string[] levels = ["INFO", "INFO", "INFO", "WARN", "DEBUG", "ERROR"];
        string[] paths = ["/api/v1/orders", "/api/v1/items", "/health", "/api/v2/users/login", "/metrics"];
        while (text.Length < size)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"2026-11-{random.Next(1, 29):00}T{random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}.{random.Next(1000):000}Z {levels[random.Next(levels.Length)]} pid={random.Next(100, 999)} req={random.NextInt64():x16} {paths[random.Next(paths.Length)]} status={(random.Next(20) == 0 ? 500 : 200)} ms={random.Next(2000)}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, size));
    }

    private static int Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return bytes.Length;
    }
}
