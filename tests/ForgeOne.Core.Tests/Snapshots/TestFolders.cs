using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.FileSystem;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

/// <summary>Builds folders on disk for DNA tests, and snapshot trees from folders the way a backup would.</summary>
internal static class TestFolders
{
    // Names that trip up shells and sorting: case, '.' vs '/', spaces, dashes, backslashes, quotes, globs,
    // NFC vs NFD, characters of every UTF-8 length, hidden files, control characters other than line feed.
    private static readonly string[] NamePool =
    [
        "a", "A", "B", "b", "a.txt", "a b", "a-", "a0", " lead", "trail ", "-dash", "--", "back\\slash", "\\", "é", "e\u0301",
        "日本語", "😀", "\uFB01", "x*y", "q'uote", "dq\"", "$HOME", "tab\tname", "cr\rname", ".hidden", "...", "-n", "%s",
    ];

    public static void WriteExample(string root)
    {
        File.WriteAllText(Path.Combine(root, "B"), "hello\n");
        Directory.CreateDirectory(Path.Combine(root, "a"));
        File.WriteAllBytes(Path.Combine(root, "a", "b"), []);
        File.WriteAllText(Path.Combine(root, "a.txt"), "abc");
        File.CreateSymbolicLink(Path.Combine(root, "link"), "a.txt");
    }

    /// <summary>Fills <paramref name="root"/> with a random tree; <paramref name="withFifo"/> adds a FIFO (Linux).</summary>
    public static void WriteRandom(string root, int seed, bool withFifo)
    {
        var random = new Random(seed);
        Fill(root, random, depth: 0);
        if (withFifo)
        {
            var (exitCode, _, error) = RepositoryFiles.Run("mkfifo", Path.Combine(root, "a fifo"));
            Assert.True(exitCode == 0, error);
        }
    }

    /// <summary>Stores the folder's trees as a backup would, returning the root tree id.</summary>
    public static string StoreTrees(string folder, TreeStore store)
    {
        var nodes = new List<TreeNode>();
        foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            var metadata = FileMetadata.Read(info.FullName);
            var common = new TreeNode { Name = info.Name, Type = NodeType.File, Mode = metadata.Mode, ModifiedTime = metadata.ModifiedTime };
            switch (metadata.Kind)
            {
                case FileKind.Regular:
                    var hash = Convert.ToHexStringLower(Blake3.HashFile(info.FullName));
                    nodes.Add(common with { Size = metadata.Size, Content = [Nodes.Hex("chunk " + hash)], ContentHash = hash });
                    break;
                case FileKind.Directory:
                    nodes.Add(common with { Type = NodeType.Directory, Subtree = StoreTrees(info.FullName, store) });
                    break;
                case FileKind.SymbolicLink:
                    nodes.Add(common with { Type = NodeType.Symlink, Size = metadata.Size, LinkTarget = info.LinkTarget });
                    break;
            }
        }

        return store.Add(new Tree(nodes));
    }

    private static void Fill(string folder, Random random, int depth)
    {
        var names = NamePool.OrderBy(_ => random.Next()).Take(random.Next(depth == 0 ? 8 : 0, 10)).ToList();
        foreach (var name in names)
        {
            var path = Path.Combine(folder, name);
            var roll = random.Next(10);
            if (roll < 5)
            {
                // Mostly small files; some above 16 KiB, which BLAKE3 memory-maps.
                var content = new byte[random.Next(4) switch { 0 => 0, 1 => random.Next(1, 100), 2 => random.Next(100, 5000), _ => random.Next(16 * 1024, 70 * 1024) }];
                random.NextBytes(content);
                File.WriteAllBytes(path, content);
            }
            else if (roll < 8 && depth < 3)
            {
                Directory.CreateDirectory(path);
                Fill(path, random, depth + 1);
            }
            else
            {
                string[] targets = [names[0], "nowhere/ü x", "..", "/etc/hostname", "a b/../\\c", " trail ", "😀"];
                File.CreateSymbolicLink(path, targets[random.Next(targets.Length)]);
            }
        }
    }

    public static string Describe(DnaListing listing) =>
        new StringBuilder().AppendJoin('\n', listing.Lines()).ToString();
}
