using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace ForgeOne.Cli.Tests;

/// <summary>
/// <c>forge prune</c> with real processes: what it frees and rewrites, <c>--dry-run</c>, and crash safety: killed
/// (SIGKILL, whole tree) at chosen moments of its work, the repository must check clean with every byte read, every
/// kept snapshot must restore with its DNA, and the next prune must finish the job.
/// </summary>
public sealed class PruneCommandTests : IClassFixture<PruneTestData>, IDisposable
{
    private readonly PruneTestData _data;
    private readonly ITestOutputHelper _log;
    private readonly ScratchFolder _scratch = new("cli-prune-");

    public PruneCommandTests(PruneTestData data, ITestOutputHelper log)
    {
        _data = data;
        _log = log;
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Dry_run_reports_the_work_and_changes_nothing_then_prune_does_it()
    {
        var repository = _data.CopyTo(_scratch["repo"]);
        var before = Files(repository.Path);

        var plan = TestRepository.Json(repository.Run("prune", "--dry-run", "--json").Expect(0));
        Assert.True(plan.GetProperty("dryRun").GetBoolean());
        Assert.True(plan.GetProperty("packsDeleted").GetInt32() > 0, plan.ToString());
        Assert.True(plan.GetProperty("packsRewritten").GetInt32() > 0, plan.ToString());
        Assert.Equal(before, Files(repository.Path).Where(f => !f.StartsWith("locks", StringComparison.Ordinal)));

        var result = TestRepository.Json(repository.Run("prune", "--json").Expect(0));
        _log.WriteLine(result.ToString());
        Assert.False(result.GetProperty("dryRun").GetBoolean());
        Assert.Equal(plan.GetProperty("packsDeleted").GetInt32(), result.GetProperty("packsDeleted").GetInt32());
        Assert.Equal(plan.GetProperty("packsRewritten").GetInt32(), result.GetProperty("packsRewritten").GetInt32());
        Assert.True(result.GetProperty("packsWritten").GetInt32() > 0);
        Assert.True(result.GetProperty("bytesFreed").GetInt64() > 10 << 20, "most of the dropped 30 MiB is freed");
        Assert.Equal(before.Count(f => f.StartsWith("data", StringComparison.Ordinal))
            - result.GetProperty("packsDeleted").GetInt32() - result.GetProperty("packsRewritten").GetInt32() + result.GetProperty("packsWritten").GetInt32(),
            repository.PackFiles().Length);
        Assert.Equal(0, Check(repository).GetProperty("unreferencedPacks").GetInt32());

        AssertIntactAndFullyPruned(repository);

        var text = repository.Run("prune").Expect(0).Output;
        Assert.StartsWith("freed 0 B: 0 of ", text, StringComparison.Ordinal);
    }

    /// <summary>Where a prune is killed: each moment is an event in the repository folder, acted on as it happens.</summary>
    [Theory]
    [InlineData("lock")] // holding its lock, finding what is in use: nothing changed yet
    [InlineData("rewrite")] // two new packs stored, more being written: unreferenced until the index names them
    [InlineData("index")] // the new index stored, the old index files and packs not yet deleted
    [InlineData("delete")] // ten old packs deleted, the rest still there
    public void Killed_prune_leaves_every_kept_snapshot_restorable_and_the_next_prune_finishes(string moment)
    {
        var repository = _data.CopyTo(_scratch["repo"]);
        var packsBefore = repository.PackFiles().Length;
        KillPruneAt(repository, moment);
        _log.WriteLine($"killed at '{moment}' with {repository.PackFiles().Length} pack files (from {packsBefore}), {repository.LockFiles().Length} lock(s)");

        // The killed run's lock is stale; everything else must be as good as before.
        repository.Run("repo", "unlock").Expect(0);
        Assert.Empty(repository.LockFiles());
        Check(repository);
        AssertKeptSnapshotsRestore(repository, "after-kill");

        // The next prune finishes the job: nothing left to delete or rewrite, everything still restores.
        repository.Run("prune").Expect(0);
        AssertIntactAndFullyPruned(repository);
    }

    /// <remarks>
    /// RepositoryPruner's remarks promise that what a killed prune had not deleted yet "is unreferenced garbage the next
    /// prune removes"; packs no index names (the old ones after the new index, the new ones before it) must go too.
    /// </remarks>
    [Theory]
    [InlineData("rewrite")]
    [InlineData("delete")]
    public void Prune_after_a_killed_prune_deletes_the_packs_it_left_unreferenced(string moment)
    {
        // The kill races the prune: on a loaded machine the prune can finish deleting before SIGKILL lands, which
        // leaves nothing to prove. Up to three fresh copies are tried; one must be killed with packs left behind.
        TestRepository? repository = null;
        var unreferenced = 0;
        for (var attempt = 1; attempt <= 3 && unreferenced == 0; attempt++)
        {
            repository = _data.CopyTo(_scratch[$"repo-{attempt}"]);
            KillPruneAt(repository, moment);
            repository.Run("repo", "unlock").Expect(0);
            unreferenced = Check(repository).GetProperty("unreferencedPacks").GetInt32();
        }

        Assert.True(unreferenced > 0, $"three prunes killed at '{moment}' all finished first; nothing was left to clean up");

        repository!.Run("prune").Expect(0);

        Assert.Equal(0, Check(repository).GetProperty("unreferencedPacks").GetInt32());
    }

    // Starts `forge prune` and kills it (SIGKILL, whole tree) in the event handler of the chosen change in the folder.
    private static void KillPruneAt(TestRepository repository, string moment)
    {
        var (folder, change, count) = moment switch
        {
            "lock" => ("locks", WatcherChangeTypes.Created, 1),
            "rewrite" => ("data", WatcherChangeTypes.Created, 2),
            "index" => ("index", WatcherChangeTypes.Created, 1),
            _ => ("data", WatcherChangeTypes.Deleted, 10),
        };

        using var prune = repository.Start("prune");
        var seen = 0;
        var killed = false;
        using var watcher = new FileSystemWatcher(Path.Combine(repository.Path, folder)) { IncludeSubdirectories = true };
        void OnChange(object sender, FileSystemEventArgs e)
        {
            if ((e.ChangeType & change) != 0 && Interlocked.Increment(ref seen) == count)
            {
                prune.Process.Kill(); // forge first, at once; Kill below then takes the rest of its tree
                Volatile.Write(ref killed, true);
            }
        }

        watcher.Created += OnChange;
        watcher.Renamed += (sender, e) => OnChange(sender, new FileSystemEventArgs(WatcherChangeTypes.Created, Path.GetDirectoryName(e.FullPath)!, e.Name));
        watcher.Deleted += OnChange;
        watcher.EnableRaisingEvents = true;

        var safetyNet = Stopwatch.StartNew();
        while (!Volatile.Read(ref killed) && !prune.HasExited && safetyNet.Elapsed < TimeSpan.FromMinutes(3))
        {
            Thread.Sleep(2);
        }

        var result = prune.Kill();
        Assert.True(result.ExitCode != 0, $"prune finished before the moment '{moment}': {result}");
    }

    private void AssertIntactAndFullyPruned(TestRepository repository)
    {
        Check(repository);
        var again = TestRepository.Json(repository.Run("prune", "--dry-run", "--json").Expect(0));
        Assert.Equal(0, again.GetProperty("packsDeleted").GetInt32());
        Assert.Equal(0, again.GetProperty("packsRewritten").GetInt32());
        AssertKeptSnapshotsRestore(repository, "after-prune");
    }

    private void AssertKeptSnapshotsRestore(TestRepository repository, string label)
    {
        Assert.Equal(_data.Kept.Select(k => k.Id).Order(StringComparer.Ordinal), repository.Snapshots().Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        foreach (var (id, dna) in _data.Kept)
        {
            var restored = _scratch[$"{label}-{id[..8]}"];
            repository.Run("backup", "restore", "--snapshot", id, "--to", restored).Expect(0);
            Assert.Equal(dna, SourceTree.DnaScript(restored));
            Directory.Delete(restored, recursive: true);
        }
    }

    private static JsonElement Check(TestRepository repository)
    {
        var check = TestRepository.Json(repository.Run("check", "--read-data", "--json").Expect(0));
        Assert.True(check.GetProperty("passed").GetBoolean(), check.ToString());
        return check;
    }

    private static List<string> Files(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
}
