using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

public sealed class DnaListingTests
{
    private const string EmptyHash = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";
    private const string ExampleDna = "eee7cdcb8c5ebe8a54580a7de5504b0554facf3a7d51a36330e64189ea38bdeb";

    internal static readonly string[] ExampleLines =
    [
        "f 6 8e4c7c1b99dbfd50e7a95185fead5ee1448fa904a2fdd778eaf5f2dbfd629a99 B",
        "d 0 0000000000000000000000000000000000000000000000000000000000000000 a",
        "f 3 6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85 a.txt",
        "f 0 af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262 a/b",
        "l 5 0c1b1bc9896253c19131abb26e3b1342f8ea0fb3148a5dcbe06ebe141831a5d5 link",
    ];

    [Fact]
    public void Design_document_example()
    {
        // Added in an order that is neither listing order nor a directory walk's.
        var listing = new DnaListing();
        listing.AddSymlink("link", "a.txt");
        listing.Add(NodeType.File, "a/b", 0, Nodes.Hex(""));
        listing.Add(NodeType.File, "a.txt", 3, Nodes.Hex("abc"));
        listing.AddDirectory("a");
        listing.Add(NodeType.File, "B", 6, Nodes.Hex("hello\n"));

        Assert.Equal(ExampleLines, listing.Lines());
        Assert.Equal(ExampleDna, listing.ComputeHash());
        Assert.Equal(ExampleDna, Nodes.Hex(string.Concat(ExampleLines.Select(line => line + "\n"))));

        var document = RepositoryFiles.DesignDocument;
        Assert.Equal(string.Concat(ExampleLines.Select(line => line + "\n")), RepositoryFiles.FencedBlock(document, "**Worked example** (a test vector: `DnaListingTests", "text"));
        Assert.Contains("DNA:\n`" + ExampleDna + "`.", document, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_listing_hashes_nothing()
    {
        Assert.Equal(EmptyHash, new DnaListing().ComputeHash());
        Assert.Contains(EmptyHash, RepositoryFiles.DesignDocument, StringComparison.Ordinal);
    }

    [Fact]
    public void Symlink_lines_carry_the_utf8_length_and_hash_of_the_target_text()
    {
        var listing = new DnaListing();
        listing.AddSymlink("l", "../é 😀");
        // 3 + 2 + 1 + 4 bytes.
        Assert.Equal($"l 10 {Nodes.Hex("../é 😀")} l", Assert.Single(listing.Lines()));
    }

    [Fact]
    public void Lines_sort_by_the_bytes_of_the_whole_path()
    {
        var listing = new DnaListing();
        foreach (var path in new[] { "a/b", "a", "a.txt", "a/b/c", "a b", "A", "é", "\uFB01", "😀", "a0", "a/-" })
        {
            listing.Add(NodeType.File, path, 1, Nodes.Hex(path));
        }

        Assert.Equal(["A", "a", "a b", "a.txt", "a/-", "a/b", "a/b/c", "a0", "é", "\uFB01", "😀"], listing.Lines().Select(line => line.Split(' ', 4)[3]));
    }

    [Fact]
    public void Paths_with_a_line_feed_cannot_be_listed()
    {
        var exception = Assert.Throws<UnrepresentablePathException>(() => new DnaListing().AddDirectory("dir/with\nfeed"));
        Assert.Equal("dir/with\nfeed", exception.Path);
        Assert.Contains("dir/with\\nfeed", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("trailing/")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("a/../b")]
    [InlineData("nul\0")]
    public void Paths_that_are_not_relative_are_refused(string path)
    {
        Assert.Throws<ArgumentException>(() => new DnaListing().Add(NodeType.File, path, 0, EmptyHash));
    }

    [Fact]
    public void Bad_entries_are_refused()
    {
        var listing = new DnaListing();
        listing.AddDirectory("d");
        Assert.Throws<ArgumentException>(() => listing.AddDirectory("d"));
        Assert.Throws<ArgumentException>(() => listing.Add(NodeType.Directory, "e", 4096, DnaListing.DirectoryHash));
        Assert.Throws<ArgumentException>(() => listing.Add(NodeType.Directory, "e", 0, EmptyHash));
        Assert.Throws<ArgumentException>(() => listing.Add(NodeType.File, "f", 0, EmptyHash.ToUpperInvariant()));
        Assert.Throws<ArgumentOutOfRangeException>(() => listing.Add(NodeType.File, "f", -1, EmptyHash));
        Assert.Throws<ArgumentOutOfRangeException>(() => listing.Add((NodeType)9, "f", 0, EmptyHash));
        Assert.Equal(1, listing.Count);
    }
}
