namespace ForgeOne.Tests.Harness;

/// <summary>A small tree of sample files for backups: nested folders, an empty file, random data and a symbolic link.</summary>
public static class SampleData
{
    /// <summary>Path in the snapshot of the large file, when written.</summary>
    public const string LargeFile = "data/large.bin";

    /// <summary>Writes the tree under <paramref name="folder"/>; with <paramref name="withLargeFile"/> also a 3 MiB random file (several chunks).</summary>
    public static void Write(string folder, bool withLargeFile = false)
    {
        var random = new Random(20261124);
        Directory.CreateDirectory(Path.Combine(folder, "docs", "nested"));
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "ForgeOne sample data\n");
        File.WriteAllBytes(Path.Combine(folder, "empty.bin"), []);
        File.WriteAllBytes(Path.Combine(folder, "docs", "report.bin"), Bytes(random, 200 * 1024));
        File.WriteAllText(Path.Combine(folder, "docs", "nested", "deep.txt"), string.Concat(Enumerable.Repeat("deep line\n", 500)));
        if (!OperatingSystem.IsWindows())
        {
            File.CreateSymbolicLink(Path.Combine(folder, "link"), "readme.txt");
        }

        if (withLargeFile)
        {
            File.WriteAllBytes(Path.Combine(folder, "large.bin"), Bytes(random, 3 * 1024 * 1024));
        }
    }

    /// <summary>Every entry under <paramref name="folder"/> by relative path: "dir", "link target", or "file length SHA-256" of its bytes.</summary>
    public static SortedDictionary<string, string> Describe(string folder)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/');
            entries[relative] = entry switch
            {
                { LinkTarget: { } target } => "link " + target,
                DirectoryInfo => "dir",
                FileInfo file => $"file {file.Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.FullName)))}",
                _ => "other",
            };
        }

        return entries;
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
