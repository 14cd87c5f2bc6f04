using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

public sealed class DnaHashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forge-dna-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Design_document_example_folder()
    {
        TestFolders.WriteExample(_folder);
        const string expected = "eee7cdcb8c5ebe8a54580a7de5504b0554facf3a7d51a36330e64189ea38bdeb";

        Assert.Equal(DnaListingTests.ExampleLines, DnaHash.ListDirectory(_folder).Lines());
        Assert.Equal(expected, DnaHash.ComputeForDirectory(_folder));
        Assert.Equal(expected, RepositoryFiles.RunDnaScript(_folder));

        var store = new TreeStore();
        Assert.Equal(expected, await DnaHash.ComputeForTreeAsync(TestFolders.StoreTrees(_folder, store), store.LoadAsync));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Random_folder_gives_the_recipe_dna_from_disk_and_from_trees(int seed)
    {
        TestFolders.WriteRandom(_folder, seed, withFifo: OperatingSystem.IsLinux() && seed % 2 == 1);
        var listing = DnaHash.ListDirectory(_folder);
        var store = new TreeStore();
        var rootTree = TestFolders.StoreTrees(_folder, store);

        var fromDisk = DnaHash.ComputeForDirectory(_folder);
        var fromScript = RepositoryFiles.RunDnaScript(_folder);
        var fromTrees = await DnaHash.ComputeForTreeAsync(rootTree, store.LoadAsync);

        Assert.True(fromScript == fromDisk, $"dna.sh gave {fromScript}, ForgeOne {fromDisk} for:\n{TestFolders.Describe(listing)}");
        Assert.Equal(listing.ComputeHash(), fromDisk);
        Assert.Equal(fromDisk, fromTrees);
        Assert.Equal(listing.Lines(), (await DnaHash.ListTreeAsync(rootTree, store.LoadAsync)).Lines());
        Assert.DoesNotContain(listing.Lines(), line => line.EndsWith(" a fifo", StringComparison.Ordinal));
        Assert.True(listing.Count > 8);
    }

    [Fact]
    public async Task Empty_folder_and_empty_tree_hash_the_empty_listing()
    {
        const string empty = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";
        var store = new TreeStore();

        Assert.Equal(empty, DnaHash.ComputeForDirectory(_folder));
        Assert.Equal(empty, RepositoryFiles.RunDnaScript(_folder));
        Assert.Equal(empty, await DnaHash.ComputeForTreeAsync(store.Add(Tree.Empty), store.LoadAsync));
    }

    [Fact]
    public void Metadata_is_not_part_of_the_dna()
    {
        TestFolders.WriteExample(_folder);
        var before = DnaHash.ComputeForDirectory(_folder);

        File.SetLastWriteTimeUtc(Path.Combine(_folder, "B"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_folder, "a.txt"), UnixFileMode.UserRead);
        }

        Assert.Equal(before, DnaHash.ComputeForDirectory(_folder));
        File.AppendAllText(Path.Combine(_folder, "a", "b"), "!");
        Assert.NotEqual(before, DnaHash.ComputeForDirectory(_folder));
    }

    [Fact]
    public void Symlinks_are_not_followed_but_the_root_is()
    {
        TestFolders.WriteExample(_folder);
        var inner = Path.Combine(_folder, "a");
        File.CreateSymbolicLink(Path.Combine(_folder, "to-dir"), "a");
        var listing = DnaHash.ListDirectory(_folder);

        Assert.Equal($"l 1 {Nodes.Hex("a")} to-dir", listing.Lines().Last());
        Assert.Equal(DnaHash.ComputeForDirectory(inner), DnaHash.ComputeForDirectory(Path.Combine(_folder, "to-dir")));
    }

    [Fact]
    public async Task Line_feed_in_a_name_is_refused_from_disk_and_from_trees()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "d"));
        File.WriteAllText(Path.Combine(_folder, "d", "two\nlines"), "x");
        var store = new TreeStore();
        var root = TestFolders.StoreTrees(_folder, store);

        Assert.Equal("d/two\nlines", Assert.Throws<UnrepresentablePathException>(() => DnaHash.ComputeForDirectory(_folder)).Path);
        var fromTrees = await Assert.ThrowsAsync<UnrepresentablePathException>(() => DnaHash.ComputeForTreeAsync(root, store.LoadAsync));
        Assert.Equal("d/two\nlines", fromTrees.Path);
    }

    [Fact]
    public async Task Partial_restore_keeps_the_included_entries_and_their_ancestors()
    {
        // Full tree: docs/{a.txt, sub/{deep.txt, other}}, docs.old, pics/{p1}, top.txt
        Directory.CreateDirectory(Path.Combine(_folder, "docs", "sub"));
        Directory.CreateDirectory(Path.Combine(_folder, "pics"));
        File.WriteAllText(Path.Combine(_folder, "docs", "a.txt"), "a");
        File.WriteAllText(Path.Combine(_folder, "docs", "sub", "deep.txt"), "deep");
        File.WriteAllText(Path.Combine(_folder, "docs", "sub", "other"), "o");
        File.WriteAllText(Path.Combine(_folder, "docs.old"), "old");
        File.WriteAllText(Path.Combine(_folder, "pics", "p1"), "p");
        File.WriteAllText(Path.Combine(_folder, "top.txt"), "t");
        var store = new TreeStore();
        var root = TestFolders.StoreTrees(_folder, store);

        // Keep *.txt files: docs and docs/sub stay as their ancestors; pics is left out entirely.
        bool Include(string path) => path.EndsWith(".txt", StringComparison.Ordinal);
        var listing = await DnaHash.ListTreeAsync(root, store.LoadAsync, Include);
        var dna = await DnaHash.ComputeForTreeAsync(root, store.LoadAsync, Include);

        Assert.Equal(
            ["docs", "docs/a.txt", "docs/sub", "docs/sub/deep.txt", "top.txt"],
            listing.Lines().Select(line => line.Split(' ', 4)[3]));
        Assert.Equal(listing.ComputeHash(), dna);

        // The same folder restored partially has the same DNA.
        File.Delete(Path.Combine(_folder, "docs", "sub", "other"));
        File.Delete(Path.Combine(_folder, "docs.old"));
        Directory.Delete(Path.Combine(_folder, "pics"), recursive: true);
        Assert.Equal(DnaHash.ComputeForDirectory(_folder), dna);
        Assert.Equal(RepositoryFiles.RunDnaScript(_folder), dna);
    }

    [Fact]
    public async Task Included_directory_without_included_entries_is_kept_alone()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "d", "e"));
        File.WriteAllText(Path.Combine(_folder, "d", "e", "f"), "f");
        var store = new TreeStore();
        var root = TestFolders.StoreTrees(_folder, store);

        var listing = await DnaHash.ListTreeAsync(root, store.LoadAsync, path => path == "d");

        Assert.Equal([$"d 0 {DnaListing.DirectoryHash} d"], listing.Lines());
    }

    [Fact]
    public async Task Filter_probes_each_subtree_at_most_once_and_never_walks_unkept_ones()
    {
        // A chain a/b/c/d/e with the only kept file at the bottom, next to a wide unkept folder.
        var deepest = Path.Combine(_folder, "a", "b", "c", "d", "e");
        Directory.CreateDirectory(deepest);
        File.WriteAllText(Path.Combine(deepest, "keep"), "k");
        for (var i = 0; i < 5; i++)
        {
            Directory.CreateDirectory(Path.Combine(_folder, "wide", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var store = new TreeStore();
        var root = TestFolders.StoreTrees(_folder, store);

        var listing = await DnaHash.ListTreeAsync(root, store.LoadAsync, path => path.EndsWith("/keep", StringComparison.Ordinal));

        Assert.Equal(6, listing.Count);
        // Each tree on the chain: one probe and one walk; wide and its 5 subfolders: one probe each; the root: one walk.
        // Without the memo, every level of the chain would probe the rest of it again.
        Assert.Equal(1 + (5 * 2) + 6, store.Loads.Count);
    }

    [Fact]
    public void Missing_root_is_reported()
    {
        Assert.Throws<DirectoryNotFoundException>(() => DnaHash.ComputeForDirectory(Path.Combine(_folder, "missing")));
    }

    [Fact]
    public async Task Cancellation_stops_both_walks()
    {
        TestFolders.WriteExample(_folder);
        var store = new TreeStore();
        var root = TestFolders.StoreTrees(_folder, store);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.ThrowsAny<OperationCanceledException>(() => DnaHash.ComputeForDirectory(_folder, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DnaHash.ComputeForTreeAsync(root, store.LoadAsync, null, cancelled.Token));
    }
}
