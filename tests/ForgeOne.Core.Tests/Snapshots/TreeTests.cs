using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

public sealed class TreeTests
{
    private const string SubtreeId = "9b1d2e3f4a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5";

    private static TreeNode[] SampleNodes() =>
    [
        Nodes.File("a.txt", "abc"),
        Nodes.Directory("a", SubtreeId),
        Nodes.File("B", "hello\n"),
        Nodes.Symlink("link", "a.txt"),
        Nodes.File("é", "accent"),
        Nodes.File("😀", "emoji"),
        Nodes.File("\uFB01", "ligature"),
        Nodes.File("a b", ""),
    ];

    [Fact]
    public void Same_nodes_in_any_order_serialize_to_identical_bytes()
    {
        var nodes = SampleNodes();
        var expected = new Tree(nodes).Serialize();
        var random = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            var shuffled = nodes.ToArray();
            random.Shuffle(shuffled);
            Assert.Equal(expected, new Tree(shuffled).Serialize());
        }
    }

    [Fact]
    public void Nodes_are_sorted_by_utf8_bytes_not_utf16_or_culture()
    {
        var tree = new Tree(SampleNodes());

        // U+FB01 is one UTF-16 unit above the surrogates that encode U+1F600, but its UTF-8 (EF AC 81) sorts
        // below the emoji's (F0 9F 98 80).
        var expected = new[] { "B", "a", "a b", "a.txt", "link", "é", "\uFB01", "😀" };
        Assert.Equal(expected, tree.Nodes.Select(n => n.Name));
        var byBytes = expected.OrderBy(n => Encoding.UTF8.GetBytes(n), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)));
        Assert.Equal(byBytes, expected);
    }

    [Fact]
    public void Parse_returns_the_same_nodes_and_the_same_bytes()
    {
        var nodes = SampleNodes().Append(new TreeNode
        {
            Name = "full",
            Type = NodeType.File,
            Size = 3,
            Mode = 0xDED, // 06755: setuid and setgid survive
            Uid = 4294967295,
            Gid = 0,
            UserName = "root",
            GroupName = "wheel \"quoted\" \\ \u0001 tab\t",
            ModifiedTime = new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567),
            ChangeTime = Nodes.Noon.AddTicks(1),
            AccessTime = Nodes.Noon.AddTicks(-1),
            Inode = ulong.MaxValue,
            DeviceId = 2049,
            Content = [Nodes.Hex("1"), Nodes.Hex("2")],
            ContentHash = Nodes.Hex("abc"),
        }).ToArray();
        var bytes = new Tree(nodes).Serialize();

        var parsed = Tree.Parse(bytes);

        Assert.Equal(new Tree(nodes).Nodes, parsed.Nodes);
        Assert.Equal(bytes, parsed.Serialize());
        var full = parsed.Find("full")!;
        Assert.Equal(TimeSpan.Zero, full.ModifiedTime.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567), full.ModifiedTime);
    }

    [Fact]
    public void Design_document_example_is_the_canonical_form()
    {
        var expected = RepositoryFiles.FencedBlock(RepositoryFiles.DesignDocument, "\n## Trees and snapshots\n", "json").TrimEnd('\n');
        static TreeNode Owned(TreeNode node, ulong inode, DateTimeOffset time) => node with
        {
            Uid = 1000, Gid = 1000, UserName = "alice", GroupName = "alice", Inode = inode, DeviceId = 2049, ModifiedTime = time,
        };

        var morning = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
        var file = Owned(Nodes.File("B", "hello\n"), 1001, new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567)) with
        {
            Content = ["3f2a91c07d1e4b60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718"],
        };
        file = file with { ChangeTime = file.ModifiedTime };
        var tree = new Tree(
        [
            Owned(Nodes.Symlink("link", "a.txt"), 1003, morning),
            Owned(Nodes.Directory("a", SubtreeId), 1002, morning),
            file,
        ]);

        Assert.Equal(expected, Encoding.UTF8.GetString(tree.Serialize()));
        Assert.Equal(tree.Nodes, Tree.Parse(Encoding.UTF8.GetBytes(expected)).Nodes);
    }

    [Fact]
    public void Strings_are_escaped_as_rfc_8785_and_everything_else_is_raw_utf8()
    {
        var tree = new Tree([Nodes.Symlink("q\"b\\s\u0001\u001f\b\f\n\r\t<>&'é😀\u007f", "x")]);

        var json = Encoding.UTF8.GetString(tree.Serialize());

        Assert.Contains("\"name\":\"q\\\"b\\\\s\\u0001\\u001f\\b\\f\\n\\r\\t<>&'é😀\u007f\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_tree_serializes_to_version_and_no_nodes()
    {
        Assert.Equal("{\"version\":1,\"nodes\":[]}", Encoding.UTF8.GetString(Tree.Empty.Serialize()));
        Assert.Empty(Tree.Parse("{\"version\":1,\"nodes\":[]}"u8).Nodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("/")]
    [InlineData("nul\0")]
    public void Invalid_names_are_refused(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => new Tree([Nodes.File(name, "x")]));
        Assert.Contains("name", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_with_lone_surrogates_are_refused_since_they_have_no_utf8_form()
    {
        // Not theory data: xUnit would replace the lone surrogates while serializing the cases.
        foreach (var name in new[] { "lone\uD800", "\uDC00", "x\uDE00\uD83D" })
        {
            var exception = Assert.Throws<ArgumentException>(() => new Tree([Nodes.File(name, "x")]));
            Assert.Contains("not valid Unicode", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Names_with_spaces_line_feeds_and_backslashes_are_allowed()
    {
        var tree = new Tree([Nodes.File(" a \\ b\nc ", "x"), Nodes.File("-", "y")]);
        Assert.Equal(2, Tree.Parse(tree.Serialize()).Nodes.Count);
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => new Tree([Nodes.File("x", "1"), Nodes.Symlink("x", "t")]));
        Assert.Contains("appears twice", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_differing_only_in_case_or_normalization_are_distinct()
    {
        var tree = new Tree([Nodes.File("a", "1"), Nodes.File("A", "2"), Nodes.File("\u00e9", "3"), Nodes.File("e\u0301", "4")]);
        Assert.Equal(["A", "a", "e\u0301", "\u00e9"], tree.Nodes.Select(n => n.Name));
        Assert.Equal(Nodes.Hex("2"), tree.Find("A")!.ContentHash);
    }

    public static TheoryData<string, TreeNode> InconsistentNodes() => new()
    {
        { "no type", new TreeNode { Name = "x", Type = 0 } },
        { "file without content", Nodes.File("x") with { Content = null } },
        { "file without hash", Nodes.File("x") with { ContentHash = null } },
        { "file with subtree", Nodes.File("x") with { Subtree = SubtreeId } },
        { "file with upper-case hash", Nodes.File("x") with { ContentHash = SubtreeId.ToUpperInvariant() } },
        { "file with short chunk id", Nodes.File("x") with { Content = ["abc"] } },
        { "directory without subtree", Nodes.Directory("x", SubtreeId) with { Subtree = null } },
        { "directory with size", Nodes.Directory("x", SubtreeId) with { Size = 4096 } },
        { "directory with link target", Nodes.Directory("x", SubtreeId) with { LinkTarget = "y" } },
        { "symlink without target", Nodes.Symlink("x", "y") with { LinkTarget = null } },
        { "symlink with empty target", Nodes.Symlink("x", "y") with { LinkTarget = "" } },
        { "symlink with content hash", Nodes.Symlink("x", "y") with { ContentHash = SubtreeId } },
        { "negative size", Nodes.File("x") with { Size = -1 } },
        { "mode with type bits", Nodes.File("x") with { Mode = 0x81A4 } },
        { "negative uid", Nodes.File("x") with { Uid = -1 } },
        { "gid above 32 bits", Nodes.File("x") with { Gid = 1L << 32 } },
    };

    [Theory]
    [MemberData(nameof(InconsistentNodes))]
    public void Nodes_whose_fields_do_not_fit_their_type_are_refused(string what, TreeNode node)
    {
        Assert.False(string.IsNullOrEmpty(what));
        Assert.Throws<ArgumentException>(() => new Tree([node]));
    }

    [Fact]
    public void Content_list_is_copied_so_later_changes_do_not_alter_the_tree()
    {
        var content = new List<string> { Nodes.Hex("1") };
        var node = Nodes.File("x", "1") with { Content = content };
        var before = new Tree([node]).Serialize();

        content.Add(Nodes.Hex("2"));

        Assert.Equal(before, new Tree([node]).Serialize());
        Assert.Equal(Nodes.File("x", "1") with { Content = [Nodes.Hex("1")] }, node);
    }

    [Fact]
    public void Find_uses_exact_names()
    {
        var tree = new Tree(SampleNodes());
        Assert.Equal(NodeType.Directory, tree.Find("a")!.Type);
        Assert.Equal("😀", tree.Find("😀")!.Name);
        Assert.Null(tree.Find("A"));
        Assert.Null(tree.Find("zzz"));
    }

    [Fact]
    public void Windows_mode_maps_read_only_to_no_write_bits()
    {
        Assert.Equal(0x1A4, TreeNode.WindowsMode(NodeType.File, FileAttributes.Archive));
        Assert.Equal(0x124, TreeNode.WindowsMode(NodeType.File, FileAttributes.ReadOnly));
        Assert.Equal(0x1ED, TreeNode.WindowsMode(NodeType.Directory, FileAttributes.Directory));
        Assert.Equal(0x16D, TreeNode.WindowsMode(NodeType.Directory, FileAttributes.Directory | FileAttributes.ReadOnly));
        Assert.Equal(0x1FF, TreeNode.WindowsMode(NodeType.Symlink, FileAttributes.ReparsePoint | FileAttributes.ReadOnly));
    }

    public static TheoryData<string, string> MalformedTrees() => new()
    {
        { "not json", "{\"version\":1,\"nodes\":[" },
        { "not an object", "[]" },
        { "no nodes", "{\"version\":1}" },
        { "nodes not an array", "{\"version\":1,\"nodes\":{}}" },
        { "duplicate field", "{\"version\":1,\"version\":1,\"nodes\":[]}" },
        { "node missing name", Node("\"type\":\"symlink\",\"size\":1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"") },
        { "bad time", Node("\"name\":\"l\",\"type\":\"symlink\",\"size\":1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"") },
        { "time with offset", Node("\"name\":\"l\",\"type\":\"symlink\",\"size\":1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000+01:00\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"") },
        { "negative size", Node("\"name\":\"l\",\"type\":\"symlink\",\"size\":-1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"") },
        { "size as string", Node("\"name\":\"l\",\"type\":\"symlink\",\"size\":\"1\",\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"") },
        { "symlink with subtree", Node("\"name\":\"l\",\"type\":\"symlink\",\"size\":1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\",\"subtree\":\"" + SubtreeId + "\"") },
        { "name with slash", Node("\"name\":\"a/b\",\"type\":\"symlink\",\"size\":1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"") },
        { "escaped lone surrogate", Node("\"name\":\"\\ud800\",\"type\":\"symlink\",\"size\":1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"") },
        { "out of order", "{\"version\":1,\"nodes\":[" + Link("b") + "," + Link("a") + "]}" },
        { "utf16 order instead of utf8", "{\"version\":1,\"nodes\":[" + Link("😀") + "," + Link("\uFB01") + "]}" },
        { "repeated name", "{\"version\":1,\"nodes\":[" + Link("a") + "," + Link("a") + "]}" },
    };

    [Theory]
    [MemberData(nameof(MalformedTrees))]
    public void Malformed_trees_are_refused_with_the_tree_named(string what, string json)
    {
        var exception = Assert.Throws<MalformedObjectException>(() => Tree.Parse(Encoding.UTF8.GetBytes(json), SubtreeId));
        Assert.Equal(ObjectKind.Tree, exception.Kind);
        Assert.Equal(SubtreeId, exception.ObjectId);
        Assert.Contains(SubtreeId, exception.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void Another_version_or_node_type_is_unsupported()
    {
        var version = Assert.Throws<UnsupportedFormatException>(() => Tree.Parse("{\"version\":2,\"nodes\":[]}"u8));
        Assert.Equal("2", version.Found);
        var type = Assert.Throws<UnsupportedFormatException>(() => Tree.Parse(Encoding.UTF8.GetBytes(
            Node("\"name\":\"p\",\"type\":\"fifo\",\"size\":0,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0"))));
        Assert.Equal("\"fifo\"", type.Found);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var json = "{\"version\":1,\"future\":[1,2],\"nodes\":[{\"xattrs\":{\"k\":\"v\"}," + Link("a")[1..] + "]}";
        Assert.Equal("a", Assert.Single(Tree.Parse(Encoding.UTF8.GetBytes(json)).Nodes).Name);
    }

    [Fact]
    public void Tree_ids_follow_content_so_unchanged_directories_deduplicate()
    {
        var first = new Tree([Nodes.File("x", "1"), Nodes.File("y", "2")]).Serialize();
        var second = new Tree([Nodes.File("y", "2"), Nodes.File("x", "1")]).Serialize();
        var changed = new Tree([Nodes.File("y", "2"), Nodes.File("x", "1") with { Mode = 0x180 }]).Serialize();

        Assert.Equal(Blake3.Hash(first), Blake3.Hash(second));
        Assert.NotEqual(Blake3.Hash(first), Blake3.Hash(changed));
    }

    private static string Node(string fields) => "{\"version\":1,\"nodes\":[{" + fields + "}]}";

    private static string Link(string name) =>
        "{\"name\":\"" + name + "\",\"type\":\"symlink\",\"size\":1,\"mode\":0,\"modifiedTime\":\"2026-11-24T12:00:00.0000000Z\",\"inode\":0,\"deviceId\":0,\"linkTarget\":\"t\"}";
}
