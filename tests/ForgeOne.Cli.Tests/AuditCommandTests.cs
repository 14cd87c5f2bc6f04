using System.Text.Json;
using ForgeOne.Core.Audit;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge audit list|verify</c> over records appended through Core in the test process.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-audit-");
    private readonly TestRepository _repository;

    public AuditCommandTests() => _repository = TestRepository.Init(_scratch["repo"]);

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task List_json_prints_one_parseable_signed_record_per_line_and_filters()
    {
        await AppendAsync(("backup.create", AuditOutcome.Succeeded), ("verify", AuditOutcome.Succeeded), ("backup.create", AuditOutcome.Failed), ("prune", AuditOutcome.Succeeded));

        var output = _repository.Run("audit", "list", "--json").Expect(0).Output;
        Assert.EndsWith("\n", output, StringComparison.Ordinal);
        var records = output.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var ours = records.Where(r => r.GetProperty("target").GetString() == "cli-test").ToList();
        Assert.Equal(["backup.create", "verify", "backup.create", "prune"], ours.Select(r => r.GetProperty("operation").GetString()));
        Assert.All(records, r =>
        {
            Assert.Equal(64, r.GetProperty("hash").GetString()!.Length);
            Assert.Equal(128, r.GetProperty("signature").GetString()!.Length);
            Assert.Equal(JsonValueKind.Object, r.GetProperty("actor").ValueKind);
        });
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.GetProperty("sequence").GetInt64()));

        var failed = _repository.Run("audit", "list", "--json", "--operation", "backup.create", "--outcome", "failed").Expect(0).Output;
        Assert.Equal("failed", JsonDocument.Parse(Assert.Single(failed.TrimEnd('\n').Split('\n'))).RootElement.GetProperty("outcome").GetString());
        Assert.Contains(" prune  succeeded  cli-test", _repository.Run("audit", "list", "--operation", "prune").Expect(0).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_passes_then_names_the_sequence_of_a_deleted_record()
    {
        await AppendAsync(("backup.create", AuditOutcome.Succeeded), ("verify", AuditOutcome.Succeeded), ("snapshot.delete", AuditOutcome.Succeeded), ("prune", AuditOutcome.Succeeded));
        Assert.StartsWith("audit log verified: ", _repository.Run("audit", "verify").Expect(0).Output, StringComparison.Ordinal);

        var record = Directory.GetFiles(Path.Combine(_repository.Path, "audit", "records"), "*", SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(f) == 2L.ToString("D20", System.Globalization.CultureInfo.InvariantCulture));
        File.Delete(record);

        var result = _repository.Run("audit", "verify").Expect(ExitCodes.DamageFound);
        Assert.StartsWith("audit log FAILED at sequence 2 (removed)", result.Output, StringComparison.Ordinal);
        var json = TestRepository.Json(_repository.Run("audit", "verify", "--json").Expect(ExitCodes.DamageFound));
        Assert.Equal(2, json.GetProperty("firstBadSequence").GetInt64());
    }

    [Fact]
    public async Task Verify_with_an_anchor_beyond_the_log_reports_it_truncated()
    {
        var head = await AppendAsync(("backup.create", AuditOutcome.Succeeded));
        var beyond = new AuditHead(head.Sequence + 5, new string('b', 64)).ToString();

        var result = _repository.Run("audit", "verify", "--anchor", beyond).Expect(ExitCodes.DamageFound);
        Assert.Contains("(truncated)", result.Output, StringComparison.Ordinal);
        _repository.Run("audit", "verify", "--anchor", head.ToString()).Expect(0);
        _repository.Run("audit", "verify", "--anchor", "12:zz").Expect(ExitCodes.Usage);
    }

    private async Task<AuditHead> AppendAsync(params (string Operation, AuditOutcome Outcome)[] events)
    {
        await using var repository = await InProcess.OpenAsync(_repository);
        using var log = AuditLog.Open(repository);
        AuditRecord? last = null;
        foreach (var (operation, outcome) in events)
        {
            last = await log.AppendAsync(new AuditEvent { Operation = operation, Target = "cli-test", Outcome = outcome, Error = outcome == AuditOutcome.Failed ? "disk full" : null });
        }

        return last!.Head;
    }
}
