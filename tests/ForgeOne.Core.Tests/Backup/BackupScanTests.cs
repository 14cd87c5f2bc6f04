using ForgeOne.Core.Backup;

namespace ForgeOne.Core.Tests.Backup;

public sealed class BackupScanTests
{
    private const string CacheTag = "Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n";

    [Fact]
    public async Task Totals_are_what_the_backup_then_takes_under_the_same_rules()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("keep/a.txt", "alpha");
        context.Write("keep/deeper/b.log", new string('b', 5000));
        context.Write("keep/x.tmp", "left out by a glob");
        context.Write("big.bin", new string('z', 10_000));
        context.Write("cache/CACHEDIR.TAG", CacheTag);
        context.Write("cache/item", "left out with the cache");
        File.CreateSymbolicLink(context.SourcePath("link"), context.SourcePath("keep"));
        if (!OperatingSystem.IsWindows())
        {
            context.Write("line\nfeed", "a name no snapshot can record");
        }

        var options = new BackupOptions { Paths = [context.Source], Excludes = ["*.tmp"], ExcludeCaches = true, MaxFileSize = 9000 };
        var scan = BackupScan.Start([(context.Source, "data")], new EntrySelection(options), CancellationToken.None);
        await scan.Completion;
        var snapshot = await context.BackupAsync(options);

        // The text, the log and the cache's tag: not the excluded, the oversized, the cached, the link's target or the
        // unrecordable name.
        Assert.Equal(3, snapshot.Files);
        Assert.Equal(5 + 5000 + CacheTag.Length, snapshot.LogicalBytes);
        Assert.Equal(((long?)snapshot.Files, (long?)snapshot.LogicalBytes), scan.Totals);
    }

    [Fact]
    public async Task A_root_that_is_a_file_counts_as_one()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var file = context.Write("only.bin", new byte[12_345]);

        var scan = BackupScan.Start([(file, "only.bin")], new EntrySelection(new BackupOptions { Paths = [file] }), CancellationToken.None);
        await scan.Completion;

        Assert.Equal(((long?)1, (long?)12_345), scan.Totals);
    }

    [Fact]
    public async Task A_stopped_scan_gives_no_totals()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "abc");
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        var scan = BackupScan.Start([(context.Source, "data")], new EntrySelection(new BackupOptions { Paths = [context.Source] }), stop.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan.Completion);
        Assert.Equal(((long?)null, (long?)null), scan.Totals);
    }
}
