using ForgeOne.Core.Progress;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Tests.Backup;

namespace ForgeOne.Core.Tests.Restore;

public sealed class RestoreRunnerTests
{
    private const string BigFile = "data/sub/deeper/multi-chunk.bin";

    [Fact]
    public async Task Included_folder_is_restored_alone_and_verified_against_its_own_dna()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var target = context.NewTarget();

        var result = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Include = ["data/sub"] });

        Assert.Equal(["data", "data/sub", "data/sub/dangling", "data/sub/deeper", "data/sub/deeper/multi-chunk.bin", "data/sub/script.sh"], EngineTestContext.ListFiles(target));
        Assert.True(result.Verified);
        Assert.Equal(result.DnaExpected, result.DnaHash);
        Assert.NotEqual(snapshot.DnaHash, result.DnaExpected);
        Assert.Equal(2, result.Files);
        Assert.Empty(result.Failed);
    }

    [Fact]
    public async Task Included_file_glob_brings_the_folders_above_it()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var target = context.NewTarget();

        var result = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Include = ["*.sh"] });

        Assert.Equal(["data", "data/sub", "data/sub/script.sh"], EngineTestContext.ListFiles(target));
        Assert.True(result.Verified);
    }

    [Fact]
    public async Task Excluded_paths_are_left_out_and_the_rest_verified()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var target = context.NewTarget();

        var result = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Exclude = ["*.bin", "data/sub/dangling", "empty folder"] });

        var expected = EngineTestContext.ListFiles(context.SourceParent)
            .Where(p => p is not (BigFile or "data/sub/dangling" or "data/empty folder")).ToList();
        Assert.Equal(expected, EngineTestContext.ListFiles(target));
        Assert.True(result.Verified);
        Assert.NotEqual(snapshot.DnaHash, result.DnaHash);
    }

    [Fact]
    public async Task Mode_000_is_restored_as_000_not_as_the_default()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No Unix modes to restore.
        }

        await using var context = await EngineTestContext.CreateAsync();
        context.Write("secret", "nobody may read this");
        var snapshot = await context.BackupAsync();

        // Made through the tree, so the test needs no privilege to back up a file nobody may read.
        var locked = await context.SaveEditedSnapshotAsync(snapshot, "data/secret", node => node with { Mode = 0 });
        var target = context.NewTarget();
        var result = await context.RestoreAsync(locked, new RestoreOptions { Destination = target, Verify = false });

        Assert.Empty(result.Failed);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Join(target, "data", "secret")));
    }

    [Fact]
    public async Task A_symlink_gets_its_own_recorded_owner_where_permitted()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // lchown and statx.
        }

        await using var context = await EngineTestContext.CreateAsync();
        context.Write("target.txt", "pointed at");
        File.CreateSymbolicLink(context.SourcePath("link"), "target.txt");
        var snapshot = await context.BackupAsync();
        var owned = await context.SaveEditedSnapshotAsync(snapshot, "data/link", node => node with { Uid = 4242, Gid = 4343 });
        var target = context.NewTarget();

        var result = await context.RestoreAsync(owned, new RestoreOptions { Destination = target, Verify = false });

        Assert.Empty(result.Failed);
        var link = ForgeOne.Core.FileSystem.FileMetadata.Read(Path.Join(target, "data", "link"));
        var file = ForgeOne.Core.FileSystem.FileMetadata.Read(Path.Join(target, "data", "target.txt"));
        var isRoot = Environment.UserName == "root";
        Assert.Equal(isRoot ? 4242 : file.Uid, link.Uid);
        Assert.Equal(isRoot ? 4343 : file.Gid, link.Gid);
        Assert.NotEqual(4242, file.Uid);
    }

    [Fact]
    public async Task Restore_that_cannot_read_back_its_files_returns_its_result_unverified()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("plain", "hello");
        var snapshot = await context.BackupAsync();

        // A name a tree may hold but no DNA line can: the DNA of the restored folder cannot be computed.
        var odd = await context.SaveEditedSnapshotAsync(snapshot, "data/plain", node => node with { Name = "two\nlines" });
        var (result, target) = await context.RestoreToNewAsync(odd);

        Assert.Empty(result.Failed);
        Assert.Equal(1, result.Files);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Join(target, "data", "two\nlines")));
        Assert.False(result.Verified);
        Assert.Null(result.DnaHash);
        Assert.Contains("could not be read back", result.NotVerifiedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reason_is_given_when_the_dna_is_not_compared()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("plain", "hello");
        var snapshot = await context.BackupAsync();

        var (verified, target) = await context.RestoreToNewAsync(snapshot);
        var notEmpty = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Force = true });
        var off = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = context.NewTarget(), Verify = false });

        Assert.Null(verified.NotVerifiedReason);
        Assert.Contains("not empty", notEmpty.NotVerifiedReason, StringComparison.Ordinal);
        Assert.Contains("turned off", off.NotVerifiedReason, StringComparison.Ordinal);
        Assert.False(off.Verified);
    }

    [Fact]
    public async Task Existing_files_are_left_alone_and_reported_without_force()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var (_, target) = await context.RestoreToNewAsync(snapshot);
        var edited = Path.Join(target, "data", "plain.txt");
        await File.WriteAllTextAsync(edited, "edited after the restore");
        File.Delete(Path.Join(target, "data", "empty"));

        var again = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target });

        Assert.Equal("edited after the restore", await File.ReadAllTextAsync(edited));
        Assert.Contains(again.Skipped, s => s.Path == "data/plain.txt");
        Assert.Contains(again.Skipped, s => s.Path == "data/link");
        Assert.DoesNotContain(again.Skipped, s => s.Path == "data/empty");
        Assert.Equal(1, again.Files);
        Assert.True(File.Exists(Path.Join(target, "data", "empty")));
        Assert.Empty(again.Failed);
        Assert.False(again.Verified);
        Assert.Null(again.DnaHash);
    }

    [Fact]
    public async Task Existing_folders_keep_their_mode_and_times_unless_forced()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes.
        }

        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var (_, target) = await context.RestoreToNewAsync(snapshot);
        var folder = Path.Join(target, "data");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stamp = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        Directory.SetLastWriteTimeUtc(folder, stamp);

        await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target });
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(stamp, Directory.GetLastWriteTimeUtc(folder));

        await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Force = true });
        Assert.NotEqual(stamp, Directory.GetLastWriteTimeUtc(folder));
    }

    [Fact]
    public async Task A_linked_folder_in_the_destination_is_never_written_through_even_with_force()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating symbolic links on Windows needs a privilege CI lacks.
        }

        await using var context = await EngineTestContext.CreateAsync();
        context.Write("sub/secret.txt", "from the snapshot");
        context.Write("plain.txt", "hello");
        var snapshot = await context.BackupAsync();
        var target = context.NewTarget();
        var outside = Directory.CreateDirectory(context.NewTarget()).FullName;
        Directory.CreateDirectory(Path.Join(target, "data"));
        Directory.CreateSymbolicLink(Path.Join(target, "data", "sub"), outside);

        var result = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Force = true });

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Contains(result.Failed, f => f.Path == "data/sub/secret.txt" && f.Reason.Contains("symbolic link", StringComparison.Ordinal));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Join(target, "data", "plain.txt")));
    }

    [Fact]
    public async Task Dangling_link_where_a_file_goes_is_left_alone_and_reported_without_force()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("plain.txt", "hello");
        var snapshot = await context.BackupAsync();
        var target = context.NewTarget();
        Directory.CreateDirectory(Path.Join(target, "data"));
        var link = Path.Join(target, "data", "plain.txt");
        File.CreateSymbolicLink(link, "nowhere");

        var result = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target });

        Assert.Empty(result.Failed);
        Assert.Equal("data/plain.txt", Assert.Single(result.Skipped).Path);
        Assert.Equal("nowhere", new FileInfo(link).LinkTarget);

        var forced = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Force = true });

        Assert.Empty(forced.Failed);
        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.Equal("hello", await File.ReadAllTextAsync(link));
    }

    [Fact]
    public async Task Force_replaces_existing_files_and_links()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var (_, target) = await context.RestoreToNewAsync(snapshot);
        var edited = Path.Join(target, "data", "plain.txt");
        await File.WriteAllTextAsync(edited, "edited after the restore");
        File.Delete(Path.Join(target, "data", "link"));
        File.CreateSymbolicLink(Path.Join(target, "data", "link"), "somewhere else");

        var again = await context.RestoreAsync(snapshot, new RestoreOptions { Destination = target, Force = true });

        Assert.Empty(again.Skipped);
        Assert.Empty(again.Failed);
        BackupRunnerTests.AssertSameTree(context.Source, Path.Join(target, "data"));
        Assert.Equal(snapshot.DnaHash, DnaHash.ComputeForDirectory(target));
    }

    [Fact]
    public async Task Damaged_chunk_fails_only_its_file_and_leaves_no_partial_or_temporary_file()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var big = await context.FindNodeAsync(snapshot, BigFile);
        context.DamageBlob(big.Content![1]);
        await context.ReopenAsync();

        var (result, target) = await context.RestoreToNewAsync(snapshot);

        var failure = Assert.Single(result.Failed);
        Assert.Equal(BigFile, failure.Path);
        Assert.IsAssignableFrom<ForgeException>(failure.Exception);
        Assert.False(result.Verified);
        var restored = EngineTestContext.ListFiles(target);
        Assert.DoesNotContain(BigFile, restored);
        Assert.DoesNotContain(restored, p => p.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(EngineTestContext.ListFiles(context.SourceParent).Where(p => p != BigFile), restored);
        Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Join(target, "data", "plain.txt")));
    }

    [Fact]
    public async Task Content_that_does_not_match_its_hash_is_never_given_its_name()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("right", "the right content");
        context.Write("other", "different content");
        var snapshot = await context.BackupAsync();
        var other = await context.FindNodeAsync(snapshot, "data/other");

        // Chunks that authenticate but are not the file's: only the content hash can tell.
        var lying = await context.SaveEditedSnapshotAsync(snapshot, "data/right", node => node with { Content = other.Content });
        var (result, target) = await context.RestoreToNewAsync(lying);

        var failure = Assert.Single(result.Failed);
        Assert.Equal("data/right", failure.Path);
        var mismatch = Assert.IsType<ContentMismatchException>(failure.Exception);
        Assert.Equal(other.ContentHash, mismatch.ActualHash);
        Assert.Equal(["data", "data/other"], EngineTestContext.ListFiles(target));
        Assert.False(result.Verified);
        await Assert.ThrowsAsync<ContentMismatchException>(() => RestoreRunner.DumpAsync(context.Repository, lying, "data/right", Stream.Null, CancellationToken.None));
    }

    [Fact]
    public async Task Dump_writes_one_file_of_a_snapshot()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        using var output = new MemoryStream();

        var written = await RestoreRunner.DumpAsync(context.Repository, snapshot, "/" + BigFile, output, CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(context.SourcePath("sub/deeper/multi-chunk.bin")), output.ToArray());
        Assert.Equal(output.Length, written);
    }

    [Theory]
    [InlineData("data/missing")]
    [InlineData("data/sub")]
    [InlineData("data/link")]
    [InlineData("data/plain.txt/below")]
    [InlineData("")]
    public async Task Dump_of_anything_but_a_file_is_refused(string path)
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => RestoreRunner.DumpAsync(context.Repository, snapshot, path, Stream.Null, CancellationToken.None));

        Assert.Contains(snapshot.ShortId!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_counts_files_and_bytes_up_to_the_totals()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var reports = new List<OperationProgress>();
        var progress = new InlineProgress(report =>
        {
            lock (reports)
            {
                reports.Add(report);
            }
        });

        await RestoreRunner.RunAsync(context.Repository, snapshot, new RestoreOptions { Destination = context.NewTarget() }, progress, CancellationToken.None);

        Assert.Equal(snapshot.Files, reports.Count);
        Assert.All(reports, r => Assert.Equal(snapshot.Files, r.ItemsTotal));
        Assert.Equal(snapshot.LogicalBytes, reports.Max(r => r.BytesDone));
        Assert.All(reports, r => Assert.Equal(snapshot.LogicalBytes, r.BytesTotal));
    }

    [Fact]
    public async Task Cancelled_restore_leaves_no_temporary_files()
    {
        await using var context = await EngineTestContext.CreateAsync();
        for (var i = 0; i < 20; i++)
        {
            context.Write($"f{i:D2}", EngineTestContext.RandomBytes(100_000, 500 + i));
        }

        var snapshot = await context.BackupAsync();
        var target = context.NewTarget();
        using var cancellation = new CancellationTokenSource();
        var progress = new InlineProgress(report =>
        {
            if (report.ItemsDone == 3)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            RestoreRunner.RunAsync(context.Repository, snapshot, new RestoreOptions { Destination = target }, progress, cancellation.Token));

        var left = EngineTestContext.ListFiles(target);
        Assert.DoesNotContain(left, p => p.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.All(left.Where(p => p != "data"), p => Assert.Equal(100_000, new FileInfo(Path.Join(target, p)).Length));
    }
}
