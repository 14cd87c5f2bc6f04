using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge drill run|list</c>: a real restore into a scratch folder, the user's shell validation, RPO and RTO.</summary>
public sealed class DrillCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-drill-");
    private readonly TestRepository _repository;
    private readonly string _snapshotId;

    public DrillCommandTests()
    {
        _repository = TestRepository.Init(_scratch["repo"]);
        var source = _scratch["data"];
        TestFiles.WriteText(Path.Combine(source, "notes.txt"), 20_000, 1);
        TestFiles.WriteRandom(Path.Combine(source, "db", "app.db"), 100_000, 2);
        _snapshotId = _repository.Backup(source).GetProperty("id").GetString()!;
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Passing_drill_runs_the_validation_in_the_restored_folder_and_is_recorded()
    {
        var scratch = _scratch["drill"];
        var validate = OperatingSystem.IsWindows()
            ? "if exist data\\notes.txt (echo found %FORGE_DRILL_PATH%) else (exit 1)"
            : "test -f data/notes.txt && test -f \"$FORGE_DRILL_PATH/data/db/app.db\" && echo \"found $(pwd)\"";

        var drill = TestRepository.Json(_repository.Run("drill", "run", "--json", "--scratch", scratch, "--rpo", "1d", "--rto", "1h", "--validate-cmd", validate).Expect(0));

        Assert.True(drill.GetProperty("passed").GetBoolean(), drill.ToString());
        Assert.Equal(_snapshotId, drill.GetProperty("snapshotId").GetString());
        Assert.Equal(["restore", "dna", "validation", "rto", "rpo"], Checks(drill).Select(c => c.Name));
        Assert.Contains("found " + Path.GetFullPath(scratch), Checks(drill).Single(c => c.Name == "validation").Detail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scratch), "the scratch folder is removed");

        var list = TestRepository.Json(_repository.Run("drill", "list", "--json").Expect(0));
        Assert.Equal(drill.GetProperty("id").GetString(), Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        Assert.Contains($"passed: snapshot {_snapshotId[..8]}", _repository.Run("drill", "list").Expect(0).Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_validation_command_fails_the_drill_with_its_output_as_the_detail()
    {
        var result = _repository.Run("drill", "run", "--validate-cmd", "echo checking; echo table users is missing >&2; exit 4").Expect(ExitCodes.DamageFound);

        Assert.Contains("FAILED  validation: 'echo checking; echo table users is missing >&2; exit 4' exited with 4", result.Output, StringComparison.Ordinal);
        Assert.Contains("table users is missing", result.Output, StringComparison.Ordinal);
        Assert.Contains("passed  dna:", result.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED: snapshot", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_older_than_the_rpo_fails_the_drill()
    {
        var old = (await InProcess.CopySnapshotAtAsync(_repository, _snapshotId, DateTimeOffset.UtcNow.AddDays(-2)))[0];

        var drill = TestRepository.Json(_repository.Run("drill", "run", "--json", "--snapshot", old[..8], "--rpo", "24h").Expect(ExitCodes.DamageFound));

        var rpo = Checks(drill).Single(c => c.Name == "rpo");
        Assert.False(rpo.Passed);
        Assert.Contains("the objective is 24 h", rpo.Detail, StringComparison.Ordinal);
        Assert.All(Checks(drill).Where(c => c.Name != "rpo"), c => Assert.True(c.Passed, c.Detail));
        _repository.Run("drill", "run", "--snapshot", _snapshotId[..8], "--rpo", "24h").Expect(0);
    }

    [Fact]
    public void Recovery_slower_than_the_rto_fails_the_drill()
    {
        var validate = OperatingSystem.IsWindows() ? "ping -n 3 127.0.0.1 > nul" : "sleep 2";

        var drill = TestRepository.Json(_repository.Run("drill", "run", "--json", "--rto", "1s", "--validate-cmd", validate).Expect(ExitCodes.DamageFound));

        var rto = Checks(drill).Single(c => c.Name == "rto");
        Assert.False(rto.Passed);
        Assert.True(Checks(drill).Single(c => c.Name == "validation").Passed);
        Assert.Contains("FAILED", _repository.Run("drill", "list").Expect(0).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rpo", "6m")]
    [InlineData("--rto", "soon")]
    public void Durations_it_cannot_read_are_usage_errors(string option, string value) =>
        Assert.Contains(option, _repository.Run("drill", "run", option, value).Expect(ExitCodes.Usage).Error, StringComparison.Ordinal);

    private static List<(string Name, bool Passed, string Detail)> Checks(JsonElement drill) =>
        [.. drill.GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("passed").GetBoolean(), c.GetProperty("detail").GetString()!))];
}
