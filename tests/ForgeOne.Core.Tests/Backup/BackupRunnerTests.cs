using ForgeOne.Core.Backup;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Storage;
using ForgeOne.Core.Tests.Snapshots;
using ForgeOne.Core.Verification;

namespace ForgeOne.Core.Tests.Backup;

public sealed class BackupRunnerTests
{
    private static readonly DateTime OldTime = new(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    [Fact]
    public async Task Round_trip_restores_identical_files_links_empty_folders_modes_and_times()
    {
        await using var context = await EngineTestContext.CreateAsync();
        WriteVariedTree(context);

        var snapshot = await context.BackupAsync();
        var (result, target) = await context.RestoreToNewAsync(snapshot);

        Assert.Empty(result.Failed);
        Assert.Empty(result.Skipped);
        Assert.True(result.Verified);
        AssertSameTree(context.Source, Path.Join(target, "data"));
    }

    [Fact]
    public async Task Snapshot_dna_equals_the_dna_of_the_source_and_of_the_restore()
    {
        await using var context = await EngineTestContext.CreateAsync();
        WriteVariedTree(context);

        var snapshot = await context.BackupAsync();
        var (result, target) = await context.RestoreToNewAsync(snapshot);

        Assert.Equal(DnaHash.ComputeForDirectory(context.SourceParent), snapshot.DnaHash);
        Assert.Equal(snapshot.DnaHash, DnaHash.ComputeForDirectory(target));
        Assert.Equal(snapshot.DnaHash, result.DnaHash);
        Assert.Equal(snapshot.DnaHash, RepositoryFiles.RunDnaScript(target));
    }

    [Fact]
    public async Task Snapshot_records_counts_paths_host_and_tags()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "abc");
        context.Write("sub/b", "defg");

        var snapshot = await context.BackupAsync(new BackupOptions { Paths = [context.Source + "/"], Host = "box", Tags = ["daily"] });

        Assert.Equal(2, snapshot.Files);
        Assert.Equal(2, snapshot.Directories);
        Assert.Equal(7, snapshot.LogicalBytes);
        Assert.Equal([context.Source], snapshot.Paths);
        Assert.Equal("box", snapshot.Host);
        Assert.Equal(["daily"], snapshot.Tags);
        Assert.Null(snapshot.Parent);
        Assert.Empty(snapshot.Warnings);
        Assert.Equal(snapshot.Id, (await SnapshotStore.LoadAsync(context.Repository, snapshot.ShortId!, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Second_backup_of_unchanged_data_adds_and_stores_nothing()
    {
        await using var context = await EngineTestContext.CreateAsync();
        WriteVariedTree(context);
        var first = await context.BackupAsync();
        var packs = await context.Storage.ListAsync(RepositoryPaths.DataPrefix);

        await context.ReopenAsync();
        var second = await context.BackupAsync();

        Assert.Equal(first.Id, second.Parent);
        Assert.Equal(first.Tree, second.Tree);
        Assert.Equal(first.DnaHash, second.DnaHash);
        Assert.Equal(first.LogicalBytes, second.LogicalBytes);
        Assert.Equal(0, second.AddedBytes);
        Assert.Equal(0, second.StoredBytes);
        Assert.Equal(packs, await context.Storage.ListAsync(RepositoryPaths.DataPrefix));
    }

    [Fact]
    public async Task Unchanged_file_takes_its_content_from_the_parent_without_being_read()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("f", EngineTestContext.RandomBytes(30_000, 1));
        context.Write("g", EngineTestContext.RandomBytes(30_000, 2));
        var first = await context.BackupAsync();
        var g = await context.FindNodeAsync(first, "data/g");

        // A parent that (wrongly) says f holds g's bytes: only a backup that trusts the parent copies that claim.
        var lying = await context.SaveEditedSnapshotAsync(first, "data/f", f => f with { Content = g.Content, ContentHash = g.ContentHash });
        var second = await context.BackupAsync();

        Assert.Equal(lying.Id, second.Parent);
        Assert.Equal(g.ContentHash, (await context.FindNodeAsync(second, "data/f")).ContentHash);
    }

    [Fact]
    public async Task Force_reads_files_the_parent_says_are_unchanged()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("f", EngineTestContext.RandomBytes(30_000, 1));
        context.Write("g", EngineTestContext.RandomBytes(30_000, 2));
        var first = await context.BackupAsync();
        var f = await context.FindNodeAsync(first, "data/f");
        var g = await context.FindNodeAsync(first, "data/g");
        var lying = await context.SaveEditedSnapshotAsync(first, "data/f", node => node with { Content = g.Content, ContentHash = g.ContentHash });

        var forced = await context.BackupAsync(new BackupOptions { Paths = [context.Source], Force = true });

        Assert.Equal(lying.Id, forced.Parent);
        Assert.Equal(f.ContentHash, (await context.FindNodeAsync(forced, "data/f")).ContentHash);
        Assert.Equal(first.DnaHash, forced.DnaHash);
        Assert.Equal(first.Tree, forced.Tree);
        Assert.Equal(0, forced.AddedBytes);
    }

    [Fact]
    public async Task Appending_to_a_file_adds_only_its_new_chunks()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var original = EngineTestContext.RandomBytes(1024 * 1024, 3);
        var path = context.Write("big.bin", original);
        var first = await context.BackupAsync();
        var before = await context.FindNodeAsync(first, "data/big.bin");

        var appended = EngineTestContext.RandomBytes(100_000, 4);
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(appended);
        }

        var second = await context.BackupAsync();
        var after = await context.FindNodeAsync(second, "data/big.bin");

        // Every chunk but the last (cut at the old end of file) is shared; at most one maximum chunk (64 KiB) is
        // re-cut, plus the new bytes and two small trees.
        Assert.Equal(before.Content!.SkipLast(1), after.Content!.Take(before.Content!.Count - 1));
        Assert.True(second.AddedBytes >= appended.Length, $"{second.AddedBytes} added");
        Assert.True(second.AddedBytes <= appended.Length + (64 * 1024) + 4096, $"{second.AddedBytes} added");
        Assert.Equal(original.Length + appended.Length, second.LogicalBytes);
    }

    [Fact]
    public async Task Identical_files_are_stored_once()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var content = EngineTestContext.RandomBytes(1024 * 1024, 5);
        context.Write("one.bin", content);
        context.Write("sub/two.bin", content);

        var snapshot = await context.BackupAsync();

        Assert.Equal(2 * content.Length, snapshot.LogicalBytes);
        Assert.InRange(snapshot.AddedBytes, content.Length, content.Length + (16 * 1024)); // plus trees listing the chunks
        Assert.InRange(snapshot.StoredBytes, content.Length, content.Length * 11L / 10);
    }

    [Fact]
    public async Task Excluded_names_and_folders_are_left_out()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("keep.txt", "k");
        context.Write("scratch.tmp", "t");
        context.Write("deep/er/also.tmp", "t");
        context.Write("deep/er/kept", "k");
        context.Write("cache/x", "c");
        context.Write("deep/cache/y", "c");

        var snapshot = await context.BackupAsync(new BackupOptions { Paths = [context.Source], Excludes = ["*.tmp", "cache"] });
        var (_, target) = await context.RestoreToNewAsync(snapshot);

        Assert.Equal(["data", "data/deep", "data/deep/er", "data/deep/er/kept", "data/keep.txt"], EngineTestContext.ListFiles(target));
        Assert.Equal(2, snapshot.Files);
    }

    [Fact]
    public async Task A_name_holding_a_line_feed_is_skipped_with_a_warning_and_the_rest_is_committed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows file names cannot hold a line feed.
        }

        await using var context = await EngineTestContext.CreateAsync();
        context.Write("fine.txt", "kept");
        context.Write("bad\nname.txt", "unrepresentable in the DNA listing");

        var snapshot = await context.BackupAsync(new BackupOptions { Paths = [context.Source] });
        var (_, target) = await context.RestoreToNewAsync(snapshot);

        Assert.Equal(["data", "data/fine.txt"], EngineTestContext.ListFiles(target));
        Assert.Contains(snapshot.Warnings, w => w.Contains("line feed", StringComparison.Ordinal));
        Assert.Equal(DnaHash.ComputeForDirectory(target), snapshot.DnaHash);
    }

    [Fact]
    public async Task Exclude_with_a_slash_is_anchored_at_the_backed_up_folder()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("logs/old.gz", "g");
        context.Write("logs/today.log", "l");
        context.Write("other/logs/kept.gz", "g");

        var snapshot = await context.BackupAsync(new BackupOptions { Paths = [context.Source], Excludes = ["logs/*.gz"] });
        var (_, target) = await context.RestoreToNewAsync(snapshot);

        Assert.Equal(["data", "data/logs", "data/logs/today.log", "data/other", "data/other/logs", "data/other/logs/kept.gz"], EngineTestContext.ListFiles(target));
    }

    [Fact]
    public async Task Exclude_caches_keeps_only_the_tag_of_a_tagged_folder()
    {
        await using var context = await EngineTestContext.CreateAsync();
        const string Signature = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag.\n";
        context.Write("tagged/CACHEDIR.TAG", Signature);
        context.Write("tagged/blob", "cached");
        context.Write("tagged/sub/blob", "cached");
        context.Write("fake/CACHEDIR.TAG", "Signature: not the real one");
        context.Write("fake/blob", "kept");

        var excluded = await context.BackupAsync(new BackupOptions { Paths = [context.Source], ExcludeCaches = true });
        var included = await context.BackupAsync();

        var (_, target) = await context.RestoreToNewAsync(excluded);
        Assert.Equal(["data", "data/fake", "data/fake/CACHEDIR.TAG", "data/fake/blob", "data/tagged", "data/tagged/CACHEDIR.TAG"], EngineTestContext.ListFiles(target));
        Assert.Equal(5, included.Files);
    }

    [Fact]
    public async Task Files_above_the_maximum_size_are_left_out()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("small", new byte[1000]);
        context.Write("large", new byte[1001]);

        var snapshot = await context.BackupAsync(new BackupOptions { Paths = [context.Source], MaxFileSize = 1000 });

        var (_, target) = await context.RestoreToNewAsync(snapshot);
        Assert.Equal(["data", "data/small"], EngineTestContext.ListFiles(target));
    }

    [Fact]
    public async Task Fifos_are_skipped_without_a_warning()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // FileKind.Other is told apart on Linux only.
        }

        await using var context = await EngineTestContext.CreateAsync();
        context.Write("file", "x");
        var (exitCode, _, error) = RepositoryFiles.Run("mkfifo", context.SourcePath("pipe"));
        Assert.True(exitCode == 0, error);

        var snapshot = await context.BackupAsync();

        Assert.Empty(snapshot.Warnings);
        Assert.Equal(1, snapshot.Files);
        Assert.Null((await context.LoadTreeAsync((await context.FindNodeAsync(snapshot, "data")).Subtree!)).Find("pipe"));
        Assert.Equal(DnaHash.ComputeForDirectory(context.SourceParent), snapshot.DnaHash);
    }

    [Fact]
    public async Task File_and_folder_that_vanish_during_the_backup_give_warnings_not_a_failure()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "first");
        context.Write("b", "goes away");
        context.Write("c/d", "goes away with its folder");
        context.Write("e", "last");

        // Entries are listed before any is read; when "a" is done, "b" and "c" disappear.
        var progress = new InlineProgress(report =>
        {
            if (report.CurrentItem == "data/a")
            {
                File.Delete(context.SourcePath("b"));
                Directory.Delete(context.SourcePath("c"), recursive: true);
            }
        });
        var snapshot = await BackupRunner.RunAsync(context.Repository, new BackupOptions { Paths = [context.Source], ReadConcurrency = 1 }, progress, CancellationToken.None);

        // Whether "c" was listed before it went away depends on how far the walk got; either way it is a warning.
        Assert.Contains(snapshot.Warnings, w => w.StartsWith("data/b:", StringComparison.Ordinal));
        Assert.Contains(snapshot.Warnings, w => w.StartsWith("data/c", StringComparison.Ordinal));
        var (result, target) = await context.RestoreToNewAsync(snapshot);
        Assert.True(result.Verified);
        Assert.Equal(["data", "data/a", "data/e"], EngineTestContext.ListFiles(target).Where(p => p != "data/c"));
    }

    [Fact]
    public async Task Progress_carries_the_totals_the_scan_counted_so_a_percentage_and_time_left_can_be_shown()
    {
        await using var context = await EngineTestContext.CreateAsync();
        for (var i = 0; i < 40; i++)
        {
            context.Write($"folder{i % 4}/file{i}", new byte[1000 + i]);
        }

        List<OperationProgress> reports = [];
        var progress = new InlineProgress(report =>
        {
            // The first report holds the backup back long enough for the scan on its own thread to finish counting.
            if (reports.Count == 0)
            {
                Thread.Sleep(1000);
            }

            reports.Add(report);
        });
        var snapshot = await BackupRunner.RunAsync(context.Repository, new BackupOptions { Paths = [context.Source], ReadConcurrency = 1 }, progress, CancellationToken.None);

        Assert.Equal(40, snapshot.Files);
        var counted = reports.Where(report => report.BytesTotal is not null).ToList();
        Assert.NotEmpty(counted);
        Assert.All(counted, report => Assert.Equal((40L, snapshot.LogicalBytes), (report.ItemsTotal!.Value, report.BytesTotal!.Value)));
        Assert.Equal(100, reports[^1].PercentComplete);
        Assert.Contains(counted, report => report.Remaining is not null && report.PercentComplete is > 0 and < 100);
    }

    [Fact]
    public async Task Two_paths_with_the_same_last_name_are_refused()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var other = Path.Join(context.TempPath, "elsewhere", "data");
        Directory.CreateDirectory(other);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => context.BackupAsync(new BackupOptions { Paths = [context.Source, other] }));

        Assert.Contains("'data'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await context.Repository.ListSnapshotIdsAsync());
    }

    [Fact]
    public async Task Missing_path_is_refused_with_its_name()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var missing = Path.Join(context.TempPath, "no such folder");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => context.BackupAsync(new BackupOptions { Paths = [missing] }));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_paths_are_refused()
    {
        await using var context = await EngineTestContext.CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => context.BackupAsync(new BackupOptions { Paths = [] }));
    }

    [Fact]
    public async Task Several_paths_become_top_level_entries()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "in data");
        var single = Path.Join(context.TempPath, "single.txt");
        await File.WriteAllTextAsync(single, "a single file");

        var snapshot = await context.BackupAsync(new BackupOptions { Paths = [single, context.Source] });
        var (result, target) = await context.RestoreToNewAsync(snapshot);

        Assert.True(result.Verified);
        Assert.Equal(["data", "data/a", "single.txt"], EngineTestContext.ListFiles(target));
        Assert.Equal([single, context.Source], snapshot.Paths); // ordinal order
    }

    [Fact]
    public async Task Stream_backup_round_trips_through_dump()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var content = EngineTestContext.RandomBytes(300_000, 6);

        var snapshot = await BackupRunner.RunFromStreamAsync(context.Repository, new MemoryStream(content), "db.sql", ["dump"], null, CancellationToken.None);
        using var output = new MemoryStream();
        var written = await RestoreRunner.DumpAsync(context.Repository, snapshot, "db.sql", output, CancellationToken.None);

        Assert.Equal(content.Length, written);
        Assert.Equal(content, output.ToArray());
        Assert.Equal(["dump"], snapshot.Tags);
        Assert.Equal(1, snapshot.Files);
        Assert.Equal(content.Length, snapshot.LogicalBytes);
        var (result, target) = await context.RestoreToNewAsync(snapshot);
        Assert.True(result.Verified);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(target, "db.sql")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".")]
    public async Task Stream_backup_refuses_names_that_are_not_file_names(string name)
    {
        await using var context = await EngineTestContext.CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => BackupRunner.RunFromStreamAsync(context.Repository, new MemoryStream([1]), name, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Parent_is_the_newest_snapshot_of_the_same_host_and_paths()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var other = Path.Join(context.TempPath, "other");
        Directory.CreateDirectory(other);
        BackupOptions Options(string host, params string[] paths) => new() { Paths = paths, Host = host };

        var older = await context.BackupAsync(Options("h1", context.Source));
        var newer = await context.BackupAsync(Options("h1", context.Source));
        Assert.Equal(older.Id, newer.Parent);
        var otherHost = await context.BackupAsync(Options("h2", context.Source));
        var otherPaths = await context.BackupAsync(Options("h1", context.Source, other));

        var next = await context.BackupAsync(Options("h1", context.Source));

        Assert.Null(otherHost.Parent);
        Assert.Null(otherPaths.Parent);
        Assert.Equal(newer.Id, next.Parent);
    }

    [Fact]
    public async Task Explicit_parent_is_used_even_when_a_newer_one_exists()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var older = await context.BackupAsync();
        await context.BackupAsync();

        var next = await context.BackupAsync(new BackupOptions { Paths = [context.Source], Parent = older.ShortId });

        Assert.Equal(older.Id, next.Parent);
    }

    [Fact]
    public async Task Damaged_parent_tree_costs_a_warning_not_the_backup()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var first = await context.BackupAsync();
        context.DamageBlob(first.Tree, BlobType.Tree);
        await context.ReopenAsync();
        context.Write("b", "new since the first backup");

        var second = await context.BackupAsync();

        Assert.Equal(first.Id, second.Parent);
        Assert.Contains(second.Warnings, w => w.Contains(first.ShortId!, StringComparison.Ordinal));
        var (result, target) = await context.RestoreToNewAsync(second);
        Assert.True(result.Verified);
        Assert.Equal(["data", "data/a", "data/b"], EngineTestContext.ListFiles(target));
    }

    [Fact]
    public async Task Damaged_snapshot_object_is_passed_over_when_choosing_the_parent()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var older = await context.BackupAsync();
        var damaged = await context.BackupAsync();
        var path = context.Storage.PathOf(RepositoryPaths.Snapshot(damaged.Id!));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 1;
        File.SetAttributes(path, FileAttributes.Normal);
        await File.WriteAllBytesAsync(path, bytes);

        var next = await context.BackupAsync();

        Assert.Equal(older.Id, next.Parent);
        Assert.Contains(next.Warnings, w => w.Contains(damaged.ShortId!, StringComparison.Ordinal));
        Assert.Equal(0, next.AddedBytes);
    }

    [Fact]
    public async Task Cancelled_backup_commits_nothing_and_the_repository_stays_usable()
    {
        await using var context = await EngineTestContext.CreateAsync();
        for (var i = 0; i < 40; i++)
        {
            context.Write($"dir{i % 4}/file{i:D2}", EngineTestContext.RandomBytes(64 * 1024, 100 + i));
        }

        using var cancellation = new CancellationTokenSource();
        var reports = 0;
        var progress = new InlineProgress(_ =>
        {
            if (Interlocked.Increment(ref reports) == 5)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            BackupRunner.RunAsync(context.Repository, new BackupOptions { Paths = [context.Source] }, progress, cancellation.Token));

        Assert.Empty(await context.Repository.ListSnapshotIdsAsync());
        Assert.Empty(await context.Storage.ListAsync(RepositoryPaths.LocksPrefix));
        await context.ReopenAsync();
        var snapshot = await context.BackupAsync();
        var check = await RepositoryChecker.CheckAsync(context.Repository, DataSubset.All, null, CancellationToken.None);
        Assert.True(check.Passed, string.Join("\n", check.Problems.Select(p => p.Message)));
        Assert.Equal(40, snapshot.Files);
        Assert.True((await context.RestoreToNewAsync(snapshot)).Result.Verified);
    }

    [Fact]
    public async Task Failed_backup_returns_only_after_the_files_it_was_reading()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", EngineTestContext.RandomBytes(1024 * 1024, 8));
        for (var i = 0; i < 30; i++)
        {
            context.Write($"b/{i:D2}", EngineTestContext.RandomBytes(100_000, 400 + i));
        }

        using var cancellation = new CancellationTokenSource();
        var backupEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var endedBeforeReaderFinished = false;

        // The reader of "a" cancels the backup, so the walk fails at "b" while "a" is still being finished.
        var progress = new InlineProgress(report =>
        {
            if (report.CurrentItem == "data/a")
            {
                cancellation.Cancel();
                endedBeforeReaderFinished = backupEnded.Task.Wait(TimeSpan.FromSeconds(2));
            }
        });
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                BackupRunner.RunAsync(context.Repository, new BackupOptions { Paths = [context.Source] }, progress, cancellation.Token));
        }
        finally
        {
            backupEnded.TrySetResult();
        }

        Assert.False(endedBeforeReaderFinished, "RunAsync returned while a file reader it started was still running");
    }

    [Fact]
    public async Task Storage_failure_fails_the_backup_with_the_storage_error_and_commits_nothing()
    {
        await using var context = await EngineTestContext.CreateAsync();
        for (var i = 0; i < 8; i++)
        {
            context.Write($"file{i}", EngineTestContext.RandomBytes(64 * 1024, 200 + i));
        }

        // A file where the pack folder belongs: every pack write fails for real.
        await File.WriteAllTextAsync(context.Storage.PathOf("data"), "not a folder");

        await Assert.ThrowsAsync<StorageException>(() => context.BackupAsync());

        Assert.Empty(await context.Repository.ListSnapshotIdsAsync());
        Assert.Empty(await context.Storage.ListAsync(RepositoryPaths.LocksPrefix));
    }

    [Fact]
    public async Task Backup_of_64_MiB_in_many_chunks_round_trips_and_checks()
    {
        await using var context = await EngineTestContext.CreateAsync(packSize: 4 * 1024 * 1024);
        for (var i = 0; i < 16; i++)
        {
            context.Write($"part{i / 4}/file{i:D2}.bin", EngineTestContext.RandomBytes(4 * 1024 * 1024, 300 + i));
        }

        var snapshot = await context.BackupAsync();

        Assert.Equal(64L * 1024 * 1024, snapshot.LogicalBytes);
        // Trees list about 4,000 chunk ids of 64 hex digits each.
        Assert.InRange(snapshot.AddedBytes, 64L * 1024 * 1024, (64L * 1024 * 1024) + (512 * 1024));
        var verification = await SnapshotVerifier.VerifyAsync(context.Repository, snapshot, DataSubset.All, null, CancellationToken.None);
        Assert.True(verification.Passed, string.Join("\n", verification.Problems.Select(p => p.Message)));
        var (result, _) = await context.RestoreToNewAsync(snapshot);
        Assert.True(result.Verified);
        Assert.Equal(16, result.Files);
    }

    /// <summary>Files of every kind a backup keeps, with names, modes and times worth checking.</summary>
    internal static void WriteVariedTree(EngineTestContext context)
    {
        context.Write("plain.txt", "hello\n");
        context.Write("name with spaces.txt", "spaces");
        context.Write("日本語 é😀.txt", "utf-8");
        context.Write("empty", []);
        context.Write(".hidden", "dot file");
        context.Write(".config/settings", "in a dot folder");
        context.Write("sub/deeper/multi-chunk.bin", EngineTestContext.RandomBytes(300_000, 7));
        context.Write("sub/script.sh", "#!/bin/sh\n");
        Directory.CreateDirectory(context.SourcePath("empty folder"));
        File.CreateSymbolicLink(context.SourcePath("link"), "plain.txt");
        File.CreateSymbolicLink(context.SourcePath("sub/dangling"), "../nowhere/ü x");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(context.SourcePath("sub/script.sh"), (UnixFileMode)0x1ED); // 0755
            File.SetUnixFileMode(context.SourcePath("plain.txt"), (UnixFileMode)0x180); // 0600
            File.SetUnixFileMode(context.SourcePath("empty folder"), (UnixFileMode)0x1C0); // 0700
        }

        foreach (var file in Directory.EnumerateFiles(context.Source, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, OldTime);
        }

        // Folders last, deepest first, since writing into a folder moves its time.
        foreach (var folder in Directory.EnumerateDirectories(context.Source, "*", SearchOption.AllDirectories).OrderByDescending(f => f.Length))
        {
            Directory.SetLastWriteTimeUtc(folder, OldTime.AddHours(1));
        }
    }

    /// <summary>Same entries, bytes, link targets, modes and modification times.</summary>
    internal static void AssertSameTree(string expected, string actual)
    {
        var entries = EngineTestContext.ListFiles(expected);
        Assert.Equal(entries, EngineTestContext.ListFiles(actual));
        foreach (var entry in entries)
        {
            var left = new FileInfo(Path.Join(expected, entry));
            var right = new FileInfo(Path.Join(actual, entry));
            Assert.True(left.LinkTarget == right.LinkTarget, $"{entry}: link target {right.LinkTarget}, expected {left.LinkTarget}");
            if (left.LinkTarget is not null)
            {
                continue;
            }

            Assert.True(left.Attributes.HasFlag(FileAttributes.Directory) == right.Attributes.HasFlag(FileAttributes.Directory), entry);
            if (!left.Attributes.HasFlag(FileAttributes.Directory))
            {
                Assert.True(File.ReadAllBytes(left.FullName).AsSpan().SequenceEqual(File.ReadAllBytes(right.FullName)), $"{entry}: content differs");
            }

            if (!OperatingSystem.IsWindows())
            {
                Assert.True(File.GetUnixFileMode(left.FullName) == File.GetUnixFileMode(right.FullName), $"{entry}: mode {File.GetUnixFileMode(right.FullName)}, expected {File.GetUnixFileMode(left.FullName)}");
            }

            Assert.True(left.LastWriteTimeUtc == right.LastWriteTimeUtc, $"{entry}: modified {right.LastWriteTimeUtc:O}, expected {left.LastWriteTimeUtc:O}");
        }
    }
}
