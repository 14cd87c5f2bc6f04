using System.Text;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

public sealed class BackupCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-backup-");
    private readonly TestRepository _repository;
    private readonly string _source;

    public BackupCommandTests()
    {
        _repository = TestRepository.Init(_scratch["repo"]);
        _source = _scratch["src"];
        TestFiles.WriteText(Path.Combine(_source, "readme.txt"), 5_000, 1);
        TestFiles.WriteText(Path.Combine(_source, "logs", "app.log"), 300_000, 2);
        TestFiles.WriteText(Path.Combine(_source, "logs", "old", "app.1.log"), 50_000, 3);
        TestFiles.WriteRandom(Path.Combine(_source, "bin", "data.bin"), 3 << 20, 4);
        TestFiles.WriteRandom(Path.Combine(_source, "docs", "a b.txt"), 1_000, 5);
        TestFiles.WriteRandom(Path.Combine(_source, "cache", "blob.tmp"), 10_000, 6);
        TestFiles.WriteRandom(Path.Combine(_source, "scratch.tmp"), 100, 7);
        File.WriteAllBytes(Path.Combine(_source, "empty.txt"), []);
        Directory.CreateDirectory(Path.Combine(_source, "empty-dir"));
        if (!OperatingSystem.IsWindows())
        {
            File.CreateSymbolicLink(Path.Combine(_source, "link"), "readme.txt");
        }
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Create_prints_one_summary_line_with_the_snapshot_and_its_DNA()
    {
        var create = _repository.Run("backup", "create", _source).Expect(0);

        var snapshot = Assert.Single(_repository.Snapshots());
        Assert.Matches($"^snapshot {snapshot.GetProperty("id").GetString()![..8]} saved: 8 files, 7 dirs, .* DNA {snapshot.GetProperty("dnaHash").GetString()}\n$", create.Output);
        Assert.Empty(create.Error);
    }

    [Fact]
    public void Tags_are_saved_and_list_can_filter_by_them()
    {
        _repository.Backup(_source, "--tag", "daily", "--tag", "db");
        _repository.Backup(_source, "--tag", "weekly");

        var list = _repository.Run("backup", "list").Expect(0);
        var daily = TestRepository.Json(_repository.Run("backup", "list", "--json", "--tag", "daily").Expect(0));

        Assert.Contains("[daily,db]", list.Output, StringComparison.Ordinal);
        Assert.Contains("[weekly]", list.Output, StringComparison.Ordinal);
        var only = Assert.Single(daily.EnumerateArray());
        Assert.Equal(["daily", "db"], only.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void List_from_and_to_keep_snapshots_taken_within_the_time_both_inclusive()
    {
        var times = new[] { _repository.Backup(_source), _repository.Backup(_source), _repository.Backup(_source) }
            .Select(s => s.GetProperty("time").GetDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        string[] Ids(params string[] filter) => [.. TestRepository.Json(_repository.Run(["backup", "list", "--json", .. filter]).Expect(0))
            .EnumerateArray().Select(s => s.GetProperty("time").GetDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture))];

        Assert.Equal(times[1..], Ids("--from", times[1]));
        Assert.Equal(times[..2], Ids("--to", times[1]));
        Assert.Equal([times[1]], Ids("--from", times[1], "--to", times[1]));
        Assert.Empty(Ids("--from", "2999-01-01"));
        var bad = _repository.Run("backup", "list", "--from", "last tuesday").Expect(2);
        Assert.Contains("--from", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_json_carries_the_snapshot_fields_in_camelCase()
    {
        var first = _repository.Backup(_source, "--exclude", "*.tmp");
        var second = _repository.Backup(_source, "--exclude", "*.tmp");

        var list = TestRepository.Json(_repository.Run("backup", "list", "--json").Expect(0)).EnumerateArray().ToArray();

        Assert.Equal(2, list.Length);
        var snapshot = list[0];
        foreach (var field in new[] { "id", "time", "host", "paths", "files", "logicalBytes", "addedBytes", "storedBytes", "dnaHash", "warnings", "parent" })
        {
            Assert.True(snapshot.TryGetProperty(field, out _), $"--json lacks '{field}': {snapshot}");
        }

        Assert.Equal(first.GetProperty("id").GetString(), snapshot.GetProperty("id").GetString());
        Assert.Matches("^[0-9a-f]{64}$", snapshot.GetProperty("id").GetString());
        Assert.Matches("^[0-9a-f]{64}$", snapshot.GetProperty("dnaHash").GetString());
        Assert.True(snapshot.GetProperty("time").GetDateTimeOffset() <= list[1].GetProperty("time").GetDateTimeOffset());
        Assert.Equal(Environment.MachineName, snapshot.GetProperty("host").GetString());
        Assert.Equal([_source], snapshot.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(6, snapshot.GetProperty("files").GetInt64());
        var expectedBytes = Directory.GetFiles(_source, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f))
            .Where(f => f.LinkTarget is null && f.Extension != ".tmp").Sum(f => f.Length);
        Assert.Equal(expectedBytes, snapshot.GetProperty("logicalBytes").GetInt64());
        Assert.True(snapshot.GetProperty("addedBytes").GetInt64() >= expectedBytes - 100_000, "the first backup adds (nearly) everything");
        Assert.True(snapshot.GetProperty("storedBytes").GetInt64() > 3 << 20, "random data does not compress");
        Assert.Equal(JsonValueKind.Array, snapshot.GetProperty("warnings").ValueKind);
        Assert.Equal(JsonValueKind.Null, snapshot.GetProperty("parent").ValueKind);
        Assert.Equal(first.GetProperty("id").GetString(), list[1].GetProperty("parent").GetString());
        Assert.Equal(second.GetProperty("id").GetString(), list[1].GetProperty("id").GetString());
        Assert.DoesNotContain(list, s => s.EnumerateObject().Any(p => char.IsUpper(p.Name[0])));
    }

    [Fact]
    public void Second_backup_of_unchanged_data_stores_almost_nothing()
    {
        var first = _repository.Backup(_source);
        var sizeBefore = RepositoryBytes();

        var second = _repository.Backup(_source);

        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("parent").GetString());
        Assert.Equal(first.GetProperty("logicalBytes").GetInt64(), second.GetProperty("logicalBytes").GetInt64());
        Assert.True(second.GetProperty("addedBytes").GetInt64() < 4096, $"addedBytes {second.GetProperty("addedBytes")}");
        Assert.True(second.GetProperty("storedBytes").GetInt64() < 4096, $"storedBytes {second.GetProperty("storedBytes")}");
        var growth = RepositoryBytes() - sizeBefore;
        Assert.True(growth < 4096, $"the repository grew by {growth} bytes");
        Assert.Equal(first.GetProperty("dnaHash").GetString(), second.GetProperty("dnaHash").GetString());
    }

    [Fact]
    public void Excluded_files_are_absent_after_restore()
    {
        _repository.Backup(_source, "--exclude", "*.tmp", "-e", "logs/old");
        var restored = _scratch["restored"];

        _repository.Run("backup", "restore", "--to", restored).Expect(0);

        var expected = TestFiles.Fingerprint(_source);
        foreach (var excluded in expected.Keys.Where(p => p.EndsWith(".tmp", StringComparison.Ordinal) || p.StartsWith("logs/old", StringComparison.Ordinal)).ToList())
        {
            expected.Remove(excluded);
        }

        Assert.Equal(expected, TestFiles.Fingerprint(Path.Combine(restored, "src")));
        Assert.True(Directory.Exists(Path.Combine(restored, "src", "cache")), "excluding the files in a folder keeps the folder");
    }

    [Fact]
    public void Restore_is_byte_identical_and_its_DNA_equals_dna_sh_and_the_snapshot()
    {
        var snapshot = _repository.Backup(_source);
        var restored = _scratch["restored"];

        var restore = _repository.Run("backup", "restore", "--to", restored).Expect(0);

        TestFiles.AssertSameTree(_source, Path.Combine(restored, "src"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal("readme.txt", new FileInfo(Path.Combine(restored, "src", "link")).LinkTarget);
        }

        var dna = snapshot.GetProperty("dnaHash").GetString();
        Assert.Equal(dna, SourceTree.DnaScript(restored));
        Assert.Contains($"DNA verified {dna}", restore.Output, StringComparison.Ordinal);
        Assert.Empty(restore.Error);
    }

    [Fact]
    public void Restore_json_reports_the_verified_DNA()
    {
        var snapshot = _repository.Backup(_source);

        var result = TestRepository.Json(_repository.Run("backup", "restore", "--json", "--to", _scratch["restored"]).Expect(0));

        Assert.True(result.GetProperty("verified").GetBoolean());
        Assert.Equal(snapshot.GetProperty("dnaHash").GetString(), result.GetProperty("dnaHash").GetString());
        Assert.Equal(8, result.GetProperty("files").GetInt64());
        Assert.Empty(result.GetProperty("skipped").EnumerateArray());
        Assert.Empty(result.GetProperty("failed").EnumerateArray());
    }

    [Fact]
    public void Restore_include_restores_only_the_selected_paths()
    {
        _repository.Backup(_source);
        var restored = _scratch["restored"];

        var restore = _repository.Run("backup", "restore", "--to", restored, "--include", "src/logs", "-i", "*.bin").Expect(0);

        Assert.Equal(
            ["src", "src/bin", "src/bin/data.bin", "src/logs", "src/logs/app.log", "src/logs/old", "src/logs/old/app.1.log"],
            TestFiles.Fingerprint(restored).Keys);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "logs", "app.log")), File.ReadAllBytes(Path.Combine(restored, "src", "logs", "app.log")));
        Assert.Contains("DNA verified", restore.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_refuses_to_overwrite_existing_files_without_force()
    {
        _repository.Backup(_source);
        var restored = _scratch["restored"];
        _repository.Run("backup", "restore", "--to", restored).Expect(0);
        var readme = Path.Combine(restored, "src", "readme.txt");
        File.WriteAllText(readme, "changed since the backup");

        var refused = _repository.Run("backup", "restore", "--to", restored);

        refused.Expect(ExitCodes.Failure);
        Assert.Contains("skipped src/readme.txt: exists", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal("changed since the backup", File.ReadAllText(readme));
    }

    [Fact]
    public void Restore_with_force_replaces_existing_files()
    {
        _repository.Backup(_source);
        var restored = _scratch["restored"];
        _repository.Run("backup", "restore", "--to", restored).Expect(0);
        File.WriteAllText(Path.Combine(restored, "src", "readme.txt"), "changed since the backup");
        File.Delete(Path.Combine(restored, "src", "bin", "data.bin"));

        var forced = _repository.Run("backup", "restore", "--to", restored, "--force").Expect(0);

        Assert.DoesNotContain("skipped", forced.Error, StringComparison.Ordinal);
        TestFiles.AssertSameTree(_source, Path.Combine(restored, "src"));
    }

    [Fact]
    public void Dump_writes_one_file_to_stdout_byte_for_byte()
    {
        _repository.Backup(_source);

        var binary = _repository.Run("backup", "dump", "src/bin/data.bin").Expect(0);
        var text = _repository.Run("backup", "dump", "src/docs/a b.txt").Expect(0);
        var empty = _repository.Run("backup", "dump", "src/empty.txt").Expect(0);

        Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "bin", "data.bin")), binary.OutputBytes);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_source, "docs", "a b.txt")), text.OutputBytes);
        Assert.Empty(empty.OutputBytes);
        Assert.Empty(binary.Error);
    }

    [Fact]
    public void Dump_of_a_path_that_is_not_a_file_fails_naming_it()
    {
        _repository.Backup(_source);

        var folder = _repository.Run("backup", "dump", "src/logs");
        var missing = _repository.Run("backup", "dump", "src/nope.txt");

        Assert.NotEqual(0, folder.ExitCode);
        Assert.Contains("src/logs", folder.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("src/nope.txt", missing.Error, StringComparison.Ordinal);
        Assert.Empty(missing.OutputBytes);
    }

    [Fact]
    public void Diff_shows_added_removed_and_modified_paths()
    {
        var first = _repository.Backup(_source).GetProperty("id").GetString()!;
        File.Delete(Path.Combine(_source, "readme.txt"));
        File.WriteAllText(Path.Combine(_source, "new.txt"), "new");
        File.AppendAllText(Path.Combine(_source, "logs", "app.log"), "one more line\n");
        var second = _repository.Backup(_source).GetProperty("id").GetString()!;

        var diff = _repository.Run("backup", "diff", first[..8], second).Expect(0);

        var lines = diff.Output.TrimEnd().Split('\n');
        Assert.Contains("+    src/new.txt", lines);
        Assert.Contains("-    src/readme.txt", lines);
        Assert.Contains("M    src/logs/app.log", lines);
        Assert.DoesNotContain(lines, l => l.EndsWith("data.bin", StringComparison.Ordinal));
        Assert.StartsWith("1 added, 1 removed, 1 modified,", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_is_saved_as_one_file_that_dump_returns_exactly()
    {
        // As `pg_dump | forge backup create --stdin --stdin-filename db.sql` would send: a few MiB, text and binary.
        var text = new MemoryStream();
        var dumpFile = _scratch["dump.sql"];
        TestFiles.WriteText(dumpFile, 2 << 20, 8);
        text.Write(File.ReadAllBytes(dumpFile));
        text.Write(TestFiles.RandomBytes(3 << 20, 9));
        var input = text.ToArray();

        var snapshot = TestRepository.Json(_repository.Run(input, "backup", "create", "--json", "--stdin", "--stdin-filename", "db.sql").Expect(0));
        var dump = _repository.Run("backup", "dump", "db.sql").Expect(0);

        Assert.Equal(input.Length, snapshot.GetProperty("logicalBytes").GetInt64());
        Assert.Equal(1, snapshot.GetProperty("files").GetInt64());
        Assert.Equal(input, dump.OutputBytes);
        var restored = _scratch["restored"];
        _repository.Run("backup", "restore", "--to", restored).Expect(0);
        Assert.Equal(snapshot.GetProperty("dnaHash").GetString(), SourceTree.DnaScript(restored));
    }

    [Fact]
    public void Stdin_with_paths_is_a_usage_error()
    {
        var forge = _repository.Run([1], "backup", "create", "--stdin", _source);

        forge.Expect(ExitCodes.Usage);
        Assert.Contains("--stdin", forge.Error, StringComparison.Ordinal);
        Assert.Empty(_repository.Snapshots());
    }

    [Fact]
    public void A_missing_path_is_refused_before_anything_is_written()
    {
        var before = TestFiles.Fingerprint(_repository.Path);

        var forge = _repository.Run("backup", "create", Path.Combine(_source, "nope"));

        Assert.NotEqual(0, forge.ExitCode);
        Assert.Contains("nope", forge.Error, StringComparison.Ordinal);
        Assert.Equal(before, TestFiles.Fingerprint(_repository.Path));
    }

    private long RepositoryBytes() =>
        Directory.GetFiles(_repository.Path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
