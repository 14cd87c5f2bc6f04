using System.Management.Automation;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>
/// Get-ForgeAuditLog and Test-ForgeAuditLog over a log whose ten records are appended through Core, then tampered with
/// in the repository's files as an attacker could. Sequence numbers are counted from the head the log had before
/// those ten (<see cref="Log.Base"/>), so records other operations append do not move them.
/// </summary>
public sealed class AuditLogCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Records_come_out_typed_in_sequence_order_and_filtered()
    {
        var log = Log.Create(shell);

        var all = Mine(log.Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key").ShouldSucceed().Output);
        var deletes = Mine(log.Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key -Operation SNAPSHOT.DELETE").ShouldSucceed().Output);
        var bob = Mine(log.Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key -Actor bob@db02 -Outcome Failed").ShouldSucceed().Output);
        var window = Mine(log.Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key -From $from -To $to",
            ("from", RepositoryObjects.AuditStart.AddMinutes(2).UtcDateTime), ("to", RepositoryObjects.AuditStart.AddMinutes(5).UtcDateTime)).ShouldSucceed().Output);
        var tail = Mine(log.Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key -FromSequence $s", ("s", log.Base + 9)).ShouldSucceed().Output);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => log.Base + i), all.Select(Sequence));
        Assert.All(all, record => Assert.Equal("AuditRecord", record.TypeName()));
        Assert.Equal("backup.create", all[0].Get<string>("Operation"));
        Assert.Equal("alice", PSObject.AsPSObject(all[0].Get("Actor")!).Get<string>("User"));
        Assert.Equal([log.Base + 3, log.Base + 6, log.Base + 9], deletes.Select(Sequence));
        Assert.Equal([log.Base + 3, log.Base + 6, log.Base + 9], bob.Select(Sequence));
        Assert.Equal([log.Base + 2, log.Base + 3, log.Base + 4], window.Select(Sequence));
        Assert.Equal([log.Base + 9, log.Base + 10], tail.Select(Sequence));
    }

    [Fact]
    public void AsJsonLines_writes_each_record_as_its_SIEM_line()
    {
        var log = Log.Create(shell);

        var records = log.Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key").ShouldSucceed().Output;
        var lines = log.Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key -AsJsonLines").ShouldSucceed().Output;

        Assert.Equal(records.Count, lines.Count);
        var toLine = records[0].BaseObject.GetType().Assembly.GetType("ForgeOne.Core.Audit.AuditJsonLines", throwOnError: true)!.GetMethod("ToLine")!;
        for (var i = 0; i < records.Count; i++)
        {
            var line = Assert.IsType<string>(lines[i].BaseObject);
            Assert.DoesNotContain('\n', line);
            Assert.Equal((byte[])toLine.Invoke(null, [records[i].BaseObject])!, Encoding.UTF8.GetBytes(line + "\n"));
            var json = JsonNode.Parse(line)!;
            Assert.Equal(records[i].Get<long>("Sequence"), json["sequence"]!.GetValue<long>());
            Assert.Equal(records[i].Get<string>("Hash"), json["hash"]!.GetValue<string>());
            Assert.Equal(JsonValueKind.String, json["signature"]!.GetValueKind());
        }
    }

    [Fact]
    public void Untouched_log_passes()
    {
        var log = Log.Create(shell);

        var result = log.Verify();

        Assert.Equal("AuditVerification", result.TypeName());
        Assert.True(result.Get<bool>("Passed"), result.Get<string>("Message"));
        Assert.Null(result.Get("FirstBadSequence"));
        Assert.Equal("None", result.Get("Reason")!.ToString());
        Assert.True(result.Get<long>("RecordsChecked") >= log.Base + 10);
    }

    [Fact]
    public void Edited_record_is_reported_as_modified_at_its_sequence()
    {
        var log = Log.Create(shell);
        var file = log.File(4);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x40;
        File.Delete(file);
        File.WriteAllBytes(file, bytes);

        AssertFailure(log.Verify(), log.Base + 4, "Modified");
    }

    [Fact]
    public void Deleted_record_is_reported_as_removed_at_its_sequence()
    {
        var log = Log.Create(shell);
        File.Delete(log.File(4));

        AssertFailure(log.Verify(), log.Base + 4, "Removed");
    }

    [Fact]
    public void Two_swapped_records_are_reported_as_reordered_at_the_first()
    {
        var log = Log.Create(shell);
        var (third, fifth) = (File.ReadAllBytes(log.File(3)), File.ReadAllBytes(log.File(5)));
        File.Delete(log.File(3));
        File.Delete(log.File(5));
        File.WriteAllBytes(log.File(3), fifth);
        File.WriteAllBytes(log.File(5), third);

        AssertFailure(log.Verify(), log.Base + 3, "Reordered");
    }

    [Fact]
    public void Truncated_tail_fails_against_given_anchors_at_the_first_record_cut_off()
    {
        var log = Log.Create(shell);
        var anchors = new[] { log.Head(9), log.Head(10) };
        File.Delete(log.File(10));
        File.Delete(log.File(9));

        var unanchored = Assert.Single(log.Repository.Run("Test-ForgeAuditLog -Repository $repo -KeyFile $key -Anchor @()").Output);
        AssertFailure(log.Verify("-Anchor $anchors", ("anchors", anchors)), log.Base + 9, "Truncated");
        Assert.True(unanchored.Get<bool>("Passed"), unanchored.Get<string>("Message"));
    }

    [Fact]
    public void Truncated_tail_fails_against_the_heads_recorded_in_snapshots_by_default()
    {
        var log = Log.Create(shell);
        log.SnapshotWithAuditHead(log.Head(9));
        log.SnapshotWithAuditHead(log.Head(10));
        File.Delete(log.File(10));
        File.Delete(log.File(9));

        AssertFailure(log.Verify(), log.Base + 9, "Truncated");
    }

    [Fact]
    public void Record_signed_with_another_repositorys_key_is_reported_as_bad_signature()
    {
        var log = Log.Create(shell);
        var other = Log.Create(shell);

        // The other log's record in the same slot: sealed with this repository's data key, signed with the other's audit key.
        byte[] foreign;
        using (var opened = ReflectedRepository.Open(other.Snapshot.BaseObject, other.Repository.Location, other.Repository.KeyFile))
        {
            foreign = opened.ReadSealed(RepositoryObjects.AuditRecordName(log.Base + 5), "AuditSegment");
        }

        File.Delete(log.File(5));
        using (var opened = ReflectedRepository.Open(log.Snapshot.BaseObject, log.Repository.Location, log.Repository.KeyFile))
        {
            opened.WriteSealed(RepositoryObjects.AuditRecordName(log.Base + 5), "AuditSegment", foreign);
        }

        AssertFailure(log.Verify(), log.Base + 5, "BadSignature");
    }

    [Fact]
    public void Whole_log_checked_against_another_key_fails_from_record_one_and_a_bad_key_is_an_argument_error()
    {
        var log = Log.Create(shell);
        var other = Log.Create(shell);
        var otherKey = other.Verify().Get("TrustedKey")!.ToString()!;

        var result = log.Verify("-PublicKey $k", ("k", otherKey));
        var malformed = log.Repository.RunCatching("Test-ForgeAuditLog -Repository $repo -KeyFile $key -PublicKey abc");

        AssertFailure(result, 1, "BadSignature");
        Assert.Equal("InvalidArgument,ForgeOne.Commands.TestForgeAuditLogCommand", malformed.Terminating?.FullyQualifiedErrorId);
    }

    private static void AssertFailure(PSObject result, long sequence, string reason)
    {
        Assert.False(result.Get<bool>("Passed"), "verification passed; expected " + reason);
        Assert.Equal(reason, result.Get("Reason")!.ToString());
        Assert.Equal(sequence, result.Get<long?>("FirstBadSequence"));
        Assert.Contains($"ecord {sequence}", result.Get<string>("Message"));
    }

    private static long Sequence(PSObject record) => record.Get<long>("Sequence");

    // The records Log.Create appended, leaving out any that cmdlets appended on their own.
    private static List<PSObject> Mine(IEnumerable<PSObject> records) =>
        [.. records.Where(record => record.Get<string>("Target").StartsWith("/data/set", StringComparison.Ordinal))];

    /// <summary>A repository with one backup and ten audit records appended after whatever was there.</summary>
    private sealed class Log
    {
        private Log(TestRepository repository, PSObject snapshot, long @base)
        {
            Repository = repository;
            Snapshot = snapshot;
            Base = @base;
        }

        public TestRepository Repository { get; }

        public PSObject Snapshot { get; }

        /// <summary>The log's head sequence before the ten records: record i of them is Base + i.</summary>
        public long Base { get; }

        public static Log Create(ModuleFixture shell)
        {
            var repository = new TestRepository(shell).Create();
            var snapshot = repository.Backup();
            using var opened = ReflectedRepository.Open(snapshot.BaseObject, repository.Location, repository.KeyFile);
            var records = Path.Combine(repository.Location, "audit", "records");
            var before = Directory.Exists(records) ? Directory.GetFiles(records).Length : 0;
            opened.AppendAuditRecords(10);
            return new Log(repository, snapshot, before);
        }

        /// <summary>The file of record <paramref name="i"/> of the ten.</summary>
        public string File(int i) => Path.Combine(Repository.Location, "audit", "records", (Base + i).ToString("D20"));

        /// <summary>Record <paramref name="i"/>'s head, 'sequence:hash'.</summary>
        public string Head(int i)
        {
            var record = Assert.Single(Repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key -FromSequence $s", ("s", Base + i)).ShouldSucceed().Output,
                r => r.Get<long>("Sequence") == Base + i);
            return $"{Base + i}:{record.Get<string>("Hash")}";
        }

        /// <summary>Saves a copy of the backup's snapshot recording <paramref name="head"/> as its audit head.</summary>
        public void SnapshotWithAuditHead(string head)
        {
            using var opened = ReflectedRepository.Open(Snapshot.BaseObject, Repository.Location, Repository.KeyFile);
            var json = JsonNode.Parse(opened.SnapshotJson(Snapshot.Get<string>("Id")))!.AsObject();
            json["auditHead"] = head;
            opened.SaveSnapshot(Encoding.UTF8.GetBytes(json.ToJsonString()));
        }

        public PSObject Verify(string arguments = "", params (string Name, object Value)[] extra) =>
            Assert.Single(Repository.Run("Test-ForgeAuditLog -Repository $repo -KeyFile $key " + arguments, extra).ShouldSucceed().Output);
    }
}
