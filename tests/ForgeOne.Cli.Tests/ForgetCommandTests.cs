namespace ForgeOne.Cli.Tests;

/// <summary><c>forge policy</c>, <c>forge forget</c> and <c>forge hold</c> against a real repository.</summary>
public sealed class ForgetCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-forget-");
    private readonly TestRepository _repository;
    private readonly string _source;

    public ForgetCommandTests()
    {
        _repository = TestRepository.Init(_scratch["repo"]);
        _source = _scratch["data"];
        TestFiles.WriteText(Path.Combine(_source, "notes.txt"), 20_000, 1);
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Dry_run_prints_every_snapshot_with_the_rules_that_keep_it_and_removes_nothing()
    {
        // A year of history: daily snapshots for three weeks, then one on the 1st of each month before that.
        var first = _repository.Backup(_source).GetProperty("id").GetString()!;
        var now = DateTimeOffset.UtcNow;
        var times = Enumerable.Range(1, 21).Select(day => now.AddDays(-day))
            .Concat(Enumerable.Range(1, 12).Select(month => new DateTimeOffset(now.Year, now.Month, 1, 3, 0, 0, TimeSpan.Zero).AddMonths(-month)))
            .ToArray();
        await InProcess.CopySnapshotAtAsync(_repository, first, times);
        var all = _repository.Snapshots().Length;
        Assert.Equal(34, all);

        var dryRun = _repository.Run("forget", "--dry-run", "--keep-last", "2", "--keep-daily", "7", "--keep-monthly", "6").Expect(0);

        var lines = dryRun.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var decisions = lines.Where(line => line.StartsWith("  keep", StringComparison.Ordinal) || line.StartsWith("  remove", StringComparison.Ordinal)).ToList();
        Assert.Equal(all, decisions.Count);
        Assert.Contains(decisions, line => line.StartsWith("  keep", StringComparison.Ordinal) && line.Contains("last 2", StringComparison.Ordinal));
        Assert.Contains(decisions, line => line.Contains("daily ", StringComparison.Ordinal));
        Assert.Contains(decisions, line => line.Contains("monthly ", StringComparison.Ordinal));
        Assert.All(decisions.Where(line => line.StartsWith("  keep", StringComparison.Ordinal)), line => Assert.Matches(@"(last|daily|monthly) ", line));
        var removed = decisions.Count(line => line.StartsWith("  remove", StringComparison.Ordinal));
        Assert.InRange(removed, 10, all - 10);
        Assert.EndsWith($"{all - removed} kept, {removed} to remove; nothing removed (--dry-run)", lines[^1], StringComparison.Ordinal);
        Assert.Equal(all, _repository.Snapshots().Length);

        // The stored policy gives the same plan, and forget carries it out.
        _repository.Run("policy", "set", "--keep-last", "2", "--keep-daily", "7", "--keep-monthly", "6").Expect(0);
        var plan = TestRepository.Json(_repository.Run("forget", "--dry-run", "--json").Expect(0));
        Assert.Equal(removed, plan.GetProperty("decisions").EnumerateArray().Count(d => !d.GetProperty("keep").GetBoolean()));
        Assert.All(plan.GetProperty("decisions").EnumerateArray(), d => Assert.Equal(d.GetProperty("keep").GetBoolean(), d.GetProperty("reasons").GetArrayLength() > 0));

        var forget = TestRepository.Json(_repository.Run("forget", "--json").Expect(0));
        Assert.Equal(removed, forget.GetProperty("removed").GetArrayLength());
        Assert.Equal(all - removed, _repository.Snapshots().Length);
    }

    [Fact]
    public void A_held_snapshot_is_refused_by_forget_and_kept_by_the_policy_until_the_hold_is_cleared()
    {
        var held = _repository.Backup(_source).GetProperty("id").GetString()!;
        File.AppendAllText(Path.Combine(_source, "notes.txt"), "more");
        var newer = _repository.Backup(_source).GetProperty("id").GetString()!;

        Assert.StartsWith($"held {held[..8]}  case 42", _repository.Run("hold", "set", held[..8], "--reason", "case 42").Expect(0).Output, StringComparison.Ordinal);
        var holds = TestRepository.Json(_repository.Run("hold", "list", "--json").Expect(0));
        Assert.Equal(held, Assert.Single(holds.EnumerateArray()).GetProperty("snapshotId").GetString());

        // Removing it by id is refused with its own exit code, naming the hold; the snapshot stays.
        var refused = _repository.Run("forget", held).Expect(ExitCodes.LegalHold);
        Assert.Contains("legal hold (case 42", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, _repository.Snapshots().Length);

        // A policy that would remove it keeps it, saying why.
        var plan = _repository.Run("forget", "--dry-run", "--keep-last", "1").Expect(0).Output;
        Assert.Contains($"keep    {held[..8]}", plan, StringComparison.Ordinal);
        Assert.Contains("legal hold: case 42", plan, StringComparison.Ordinal);
        _repository.Run("forget", "--keep-last", "1").Expect(0);
        Assert.Equal(2, _repository.Snapshots().Length);

        // Cleared, it goes, and --prune frees its data.
        _repository.Run("hold", "clear", held).Expect(0);
        Assert.Equal("0 hold(s)", _repository.Run("hold", "list").Expect(0).Output.Trim());
        var forget = _repository.Run("forget", "--keep-last", "1", "--prune").Expect(0).Output;
        Assert.Contains($"removed {held[..8]}", forget, StringComparison.Ordinal);
        Assert.Contains("freed ", forget, StringComparison.Ordinal);
        Assert.Equal([newer], _repository.Snapshots().Select(s => s.GetProperty("id").GetString()));
        Assert.True(TestRepository.Json(_repository.Run("check", "--read-data", "--json").Expect(0)).GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Policy_show_prints_the_policy_in_force_and_its_history()
    {
        Assert.Contains("no retention policy", _repository.Run("policy", "show").Expect(0).Output, StringComparison.Ordinal);
        _repository.Run("policy", "set", "--keep-daily", "7", "--keep-weekly", "4").Expect(0);
        _repository.Run("policy", "set", "--keep-last", "3", "--keep-within", "30d", "--group-by", "host,tags").Expect(0);

        var show = _repository.Run("policy", "show").Expect(0).Output;
        Assert.Contains("in force: version 2: last 3, within 30.00:00:00; grouped by host,tags", show, StringComparison.Ordinal);
        Assert.Contains("earlier:  version 1: daily 7, weekly 4; grouped by host,paths", show, StringComparison.Ordinal);
        var json = TestRepository.Json(_repository.Run("policy", "show", "--json").Expect(0));
        Assert.Equal(2, json.GetProperty("policy").GetProperty("version").GetInt64());
        Assert.Equal(2, json.GetProperty("history").GetArrayLength());
        Assert.Equal(3, json.GetProperty("policy").GetProperty("policy").GetProperty("keepLast").GetInt32());
    }

    [Theory]
    [InlineData("--keep-last", "0")]
    [InlineData("--keep-within", "6m")]
    [InlineData("--group-by", "host,color")]
    public void Policy_set_refuses_rules_it_cannot_read(string option, string value)
    {
        var result = _repository.Run("policy", "set", option, value).Expect(ExitCodes.Usage);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Forget_without_ids_or_policy_says_how_to_set_one()
    {
        _repository.Backup(_source);
        var result = _repository.Run("forget").Expect(ExitCodes.Usage);
        Assert.Contains("forge policy set", result.Error, StringComparison.Ordinal);
    }
}
