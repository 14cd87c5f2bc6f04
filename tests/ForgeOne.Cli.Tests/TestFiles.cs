using System.Security.Cryptography;
using System.Text;

namespace ForgeOne.Cli.Tests;

/// <summary>Deterministic test data, and comparisons of folders by name and content.</summary>
public static class TestFiles
{
    private static readonly string[] Words =
    [
        "backup", "restore", "pack", "chunk", "snapshot", "index", "tree", "blob", "key", "slot", "lock", "repository",
        "verify", "check", "prune", "deduplicate", "encrypt", "compress", "the", "a", "of", "and", "to", "in", "is", "2026",
    ];

    /// <summary>Writes <paramref name="size"/> pseudo-random (incompressible) bytes, the same for the same seed.</summary>
    public static byte[] WriteRandom(string path, int size, int seed)
    {
        var bytes = RandomBytes(size, seed);
        Write(path, bytes);
        return bytes;
    }

    /// <summary><paramref name="size"/> pseudo-random bytes, the same for the same seed.</summary>
    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes about <paramref name="size"/> bytes of log-like text (compressible), the same for the same seed.</summary>
    public static void WriteText(string path, int size, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(size + 100);
        for (var line = 0; text.Length < size; line++)
        {
            text.Append("2026-11-24T10:").Append((line / 60 % 60).ToString("00")).Append(':').Append((line % 60).ToString("00")).Append(" INFO");
            for (var i = random.Next(4, 14); i > 0; i--)
            {
                text.Append(' ').Append(Words[random.Next(Words.Length)]);
            }

            text.Append('\n');
        }

        Write(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// Every entry under <paramref name="folder"/> (hidden ones too) by '/'-separated relative path: "dir" for a
    /// folder, the SHA-256 of the content for a file.
    /// </summary>
    public static SortedDictionary<string, string> Fingerprint(string folder)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", options))
        {
            var relative = Path.GetRelativePath(folder, entry).Replace('\\', '/');
            entries[relative] = Directory.Exists(entry) ? "dir" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)));
        }

        return entries;
    }

    /// <summary>Asserts that both folders hold the same names with the same contents.</summary>
    public static void AssertSameTree(string expected, string actual) => Assert.Equal(Fingerprint(expected), Fingerprint(actual));

    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
