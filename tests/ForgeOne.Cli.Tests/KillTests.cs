using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ForgeOne.Cli.Tests;

/// <summary>
/// Crash safety, with real processes: <c>forge</c> is killed (SIGKILL, whole process tree) in the middle of a backup or
/// restore, and the repository, earlier snapshots and the next runs must not notice beyond leftover unreferenced packs,
/// a stale lock and hidden temporary files (docs/design.md, "Commit order"). Stopped by Ctrl+C or SIGTERM instead, it
/// must clean up after itself and exit 130.
/// </summary>
public sealed partial class KillTests : IClassFixture<KillTestData>, IDisposable
{
    private readonly KillTestData _data;
    private readonly ITestOutputHelper _log;
    private readonly ScratchFolder _scratch = new("cli-kill-");

    public KillTests(KillTestData data, ITestOutputHelper log)
    {
        _data = data;
        _log = log;
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>Where to kill a backup of the big folder: after this many complete packs, and optionally only while the next pack is being written.</summary>
    [Theory]
    [InlineData(0, false)] // as soon as it holds its lock: scanning and sealing the first pack
    [InlineData(2, true)] // two packs stored, the third half written in ~tmp (or, should inotify be late, just stored)
    [InlineData(4, false)] // four packs stored, more than half the data
    public void Killed_backup_leaves_earlier_snapshots_intact_and_the_next_backup_works(int packs, bool whileWritingAPack)
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        var earlier = repository.Backup(_data.Small);
        var earlierId = earlier.GetProperty("id").GetString()!;
        var packsBefore = repository.PackFiles().Length;
        Assert.Empty(repository.LockFiles());

        var pending = Path.Combine(repository.Path, "~tmp"); // init wrote through it, so it exists
        using (var backup = repository.Start("backup", "create", _data.Big))
        {
            if (whileWritingAPack)
            {
                // A pack's unfinished write lives in ~tmp only for the moment it takes to write and flush it: too short
                // to poll for, so inotify reports it and the kill happens right in the event.
                using var watcher = new FileSystemWatcher(pending);
                watcher.Created += (_, _) =>
                {
                    if (repository.PackFiles().Length - packsBefore >= packs)
                    {
                        backup.Process.Kill(); // forge first, at once; Kill below then takes the rest of its tree
                    }
                };
                watcher.EnableRaisingEvents = true;
                WaitUntil(backup, $"{packs} packs and one being written", () => repository.PackFiles().Length - packsBefore > packs, allowExit: true);
            }
            else
            {
                WaitUntil(backup, packs == 0 ? "its lock" : $"{packs} packs", () => packs == 0
                    ? repository.LockFiles().Length > 0
                    : repository.PackFiles().Length - packsBefore >= packs);
            }

            Kill(backup);
        }

        // Nothing was committed; what the killed run wrote is unreferenced, and its lock stays behind.
        var leftovers = repository.PackFiles().Length - packsBefore;
        _log.WriteLine($"killed with {leftovers} pack(s) stored and {Directory.GetFiles(pending).Length} unfinished write(s) in ~tmp");
        Assert.Equal([earlierId], repository.Snapshots().Select(s => s.GetProperty("id").GetString()));
        Assert.Single(repository.LockFiles());

        // The repository checks clean with every byte read, beside the stale lock.
        var check = Check(repository, "--read-data");
        Assert.Equal(leftovers, check.GetProperty("unreferencedPacks").GetInt32());
        repository.Run("snapshot", "verify", "--read-data", "--snapshot", earlierId).Expect(0);

        // The earlier snapshot restores byte for byte, and its DNA checks with standard tools.
        var restoredEarlier = _scratch["restored-earlier"];
        repository.Run("backup", "restore", "--snapshot", earlierId, "--to", restoredEarlier).Expect(0);
        TestFiles.AssertSameTree(_data.Small, Path.Combine(restoredEarlier, "small"));
        Assert.Equal(earlier.GetProperty("dnaHash").GetString(), SourceTree.DnaScript(restoredEarlier));

        // The next backup of the same data works beside the stale lock, and restores byte for byte.
        var next = repository.Backup(_data.Big);
        Assert.Single(repository.LockFiles());
        var restoredNext = _scratch["restored-next"];
        repository.Run("backup", "restore", "--snapshot", next.GetProperty("id").GetString()!, "--to", restoredNext).Expect(0);
        Assert.Equal(_data.BigFingerprint, TestFiles.Fingerprint(Path.Combine(restoredNext, "big")));
        Assert.Equal(next.GetProperty("dnaHash").GetString(), SourceTree.DnaScript(restoredNext));
        Assert.Equal(leftovers, Check(repository).GetProperty("unreferencedPacks").GetInt32()); // the restore just read every chunk

        // The killed process's lock is recognised as stale.
        Assert.Equal("removed 1 lock(s)", repository.Run("repo", "unlock").Expect(0).Output.Trim());
        Assert.Empty(repository.LockFiles());
    }

    [Fact]
    public void Killed_restore_leaves_no_partial_file_under_a_final_name()
    {
        var repository = _data.BackedUp;
        var destination = _scratch["restored"];

        using (var restore = repository.Start("backup", "restore", "--to", destination))
        {
            WaitUntil(restore, "a quarter of the files restored", () => FinalFiles(destination).Count() >= KillTestData.BigRandomFiles / 4);
            Kill(restore);
        }

        // Every file under its final name is complete; the only other files are the hidden temporary ones.
        var final = AssertFinalFilesAreComplete(destination);
        var others = Directory.GetFiles(destination, "*", SearchOption.AllDirectories).Except(final).Select(Path.GetFileName).ToList();
        _log.WriteLine($"killed with {final.Count} of {_data.BigFingerprint.Count(e => e.Value != "dir")} files restored and {others.Count} temporary file(s)");
        Assert.All(others, name => Assert.Matches(TemporaryName(), name!));

        // The stale restore lock blocks nothing, and a second restore with --force completes the folder.
        Check(repository);
        repository.Run("snapshot", "verify").Expect(0);
        repository.Run("backup", "restore", "--to", destination, "--force").Expect(0);
        var restored = TestFiles.Fingerprint(Path.Combine(destination, "big"));
        foreach (var leftover in restored.Keys.Where(p => TemporaryName().IsMatch(Path.GetFileName(p))).ToList())
        {
            restored.Remove(leftover);
        }

        Assert.Equal(_data.BigFingerprint, restored);
    }

    [Fact]
    public void Interrupted_backup_exits_130_releases_its_lock_and_deletes_its_unfinished_writes()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No signals to send; Ctrl+C there is a console event.
        }

        var repository = TestRepository.Init(_scratch["repo"]);

        using (var backup = repository.Start("backup", "create", _data.Big))
        {
            WaitUntil(backup, "2 packs", () => repository.PackFiles().Length >= 2);
            var stopped = Signal(backup, "INT");

            stopped.Expect(ExitCodes.Cancelled);
            Assert.Equal("forge: stopped by Ctrl+C or SIGTERM.\n", stopped.Error);
        }

        Assert.Empty(repository.LockFiles());
        var pending = Path.Combine(repository.Path, "~tmp");
        Assert.True(!Directory.Exists(pending) || Directory.GetFiles(pending).Length == 0, "a cancelled write deletes its temporary file");
        Assert.Empty(repository.Snapshots());
        Assert.Equal(repository.PackFiles().Length, Check(repository, "--read-data").GetProperty("unreferencedPacks").GetInt32());
    }

    [Fact]
    public void Terminated_restore_exits_130_and_leaves_only_complete_files()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No SIGTERM to send.
        }

        var repository = _data.BackedUp;
        var locks = repository.LockFiles().Length;
        var destination = _scratch["restored"];

        using (var restore = repository.Start("backup", "restore", "--to", destination))
        {
            WaitUntil(restore, "a quarter of the files restored", () => FinalFiles(destination).Count() >= KillTestData.BigRandomFiles / 4);
            Signal(restore, "TERM").Expect(ExitCodes.Cancelled);
        }

        var final = AssertFinalFilesAreComplete(destination);
        Assert.Equal(final.Order(StringComparer.Ordinal), Directory.GetFiles(destination, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.Equal(locks, repository.LockFiles().Length);
    }

    // Polls (no timing assumptions) until the condition holds; fails if forge ends first, unless a test killed it.
    private static void WaitUntil(ForgeProcess forge, string point, Func<bool> reached, bool allowExit = false)
    {
        var safetyNet = Stopwatch.StartNew();
        while (!reached())
        {
            if (forge.HasExited && allowExit && forge.Process.ExitCode != 0)
            {
                return;
            }

            if (forge.HasExited)
            {
                Assert.Fail($"forge ended before {point}; the data set is too small for this point. {forge.WaitForExit()}");
            }

            if (safetyNet.Elapsed > TimeSpan.FromMinutes(3))
            {
                Assert.Fail($"forge has not reached {point} after {safetyNet.Elapsed}; is it hung?");
            }

            Thread.Sleep(2);
        }
    }

    // As a crash or `kill -9` would: forge and its whole process tree, at once.
    private static void Kill(ForgeProcess forge)
    {
        var killed = forge.Kill();
        Assert.True(killed.ExitCode != 0, $"forge finished before it could be killed: {killed}");
    }

    // As Ctrl+C (INT) or a service manager (TERM) would; returns once forge has exited by itself.
    private static Forge.Result Signal(ForgeProcess forge, string signal)
    {
        using (var kill = Process.Start("kill", ["-" + signal, forge.Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        return forge.WaitForExit();
    }

    // Every restored file under its final name must equal the original; returns their paths.
    private List<string> AssertFinalFilesAreComplete(string destination)
    {
        var final = FinalFiles(destination).ToList();
        Assert.NotEmpty(final);
        foreach (var file in final)
        {
            var relative = Path.GetRelativePath(Path.Combine(destination, "big"), file).Replace('\\', '/');
            var actual = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
            Assert.True(_data.BigFingerprint.TryGetValue(relative, out var expected) && expected == actual, $"{relative} is under its final name but differs from the original");
        }

        return final;
    }

    private static JsonElement Check(TestRepository repository, params string[] arguments)
    {
        var check = TestRepository.Json(repository.Run(["check", "--json", .. arguments]).Expect(0));
        Assert.True(check.GetProperty("passed").GetBoolean());
        return check;
    }

    private static IEnumerable<string> FinalFiles(string folder) => !Directory.Exists(folder) ? [] :
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => !Path.GetFileName(f).StartsWith('.'));

    // RestoreRunner writes ".<name>.forge-<8 hex>.tmp" beside the target, then renames it.
    [GeneratedRegex(@"^\..+\.forge-[0-9a-f]{8}\.tmp$")]
    private static partial Regex TemporaryName();
}
