using System.Text;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Storage;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Audit;

/// <summary>Appending, reading, filtering and the head of <see cref="AuditLog"/> over a real repository.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private AuditTestContext _context = null!;

    public async Task InitializeAsync() => _context = await AuditTestContext.CreateAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Records_are_numbered_from_one_and_each_chains_to_the_one_before()
    {
        var records = await _context.AppendAsync(5);

        Assert.Equal([1L, 2, 3, 4, 5], records.Select(r => r.Sequence));
        Assert.Equal(AuditHead.GenesisHash, records[0].PreviousHash);
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].Hash, records[i].PreviousHash);
        }

        Assert.All(records, r => Assert.Equal(r.ComputeHash(), r.Hash));
        Assert.All(records, r => Assert.True(AuditVerifier.HasValidSignature(r, _context.Log.PublicKey)));
        var names = await _context.RepositoryContext.ListAsync(RepositoryPaths.AuditRecordsPrefix);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"audit/records/{i:D20}"), names);
    }

    [Fact]
    public async Task Records_read_back_hold_every_field_that_was_appended()
    {
        var appended = await _context.Log.AppendAsync(new AuditEvent
        {
            Operation = AuditOperations.Restore,
            Target = "snapshot 3f2a91c0 → /restore \"x\"\n",
            Parameters = new Dictionary<string, string> { ["target"] = "/restore", ["é"] = "1", ["B"] = "2", ["a"] = "\u0001" },
            Outcome = AuditOutcome.Failed,
            Error = "Pack 3f2a91c0 failed authentication.",
            RelatedIds = ["3f2a91c07d1e4b60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718"],
            Actor = AuditTestContext.Bob,
            Time = new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567),
        });

        var read = Assert.Single(await _context.ReadAllAsync());

        Assert.Equal(appended.GetCanonicalBytes(), read.GetCanonicalBytes());
        Assert.Equal(appended.Hash, read.Hash);
        Assert.Equal(appended.Signature, read.Signature);
        Assert.Equal(AuditOperations.Restore, read.Operation);
        Assert.Equal("snapshot 3f2a91c0 → /restore \"x\"\n", read.Target);
        Assert.Equal(["B", "a", "target", "é"], read.Parameters.Keys);
        Assert.Equal(AuditOutcome.Failed, read.Outcome);
        Assert.Equal("Pack 3f2a91c0 failed authentication.", read.Error);
        Assert.Equal(AuditTestContext.Bob, read.Actor);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), read.Time);
        Assert.Equal(TimeSpan.Zero, read.Time.Offset);
    }

    [Fact]
    public async Task An_event_without_actor_or_time_is_recorded_as_this_process_now()
    {
        var before = DateTimeOffset.UtcNow;
        var record = await _context.Log.AppendAsync(new AuditEvent { Operation = AuditOperations.Verify });

        Assert.Equal(Environment.ProcessId, record.Actor.ProcessId);
        Assert.Equal(Environment.UserName, record.Actor.User);
        Assert.Equal(Environment.MachineName, record.Actor.Host);
        Assert.InRange(record.Time, before, DateTimeOffset.UtcNow);
        Assert.Null(record.Error);
        Assert.Empty(record.Parameters);
    }

    [Fact]
    public async Task Query_filters_by_time_operation_actor_outcome_and_sequence()
    {
        await _context.Log.AppendAsync(AuditTestContext.Event(1));
        await _context.Log.AppendAsync(AuditTestContext.Event(2, AuditTestContext.Bob, AuditOutcome.Denied, AuditOperations.Open));
        await _context.Log.AppendAsync(AuditTestContext.Event(3, AuditTestContext.Bob));
        await _context.Log.AppendAsync(AuditTestContext.Event(4, outcome: AuditOutcome.Failed, operation: AuditOperations.Restore));
        await _context.Log.AppendAsync(AuditTestContext.Event(5));

        async Task<long[]> Sequences(AuditQuery query) => (await _context.ReadAllAsync(query)).Select(r => r.Sequence).ToArray();

        Assert.Equal(new long[] { 1L, 2, 3, 4, 5 }, await Sequences(new AuditQuery()));
        Assert.Equal(new long[] { 2L, 3 }, await Sequences(new AuditQuery
        {
            From = AuditTestContext.Start.AddMinutes(2), To = AuditTestContext.Start.AddMinutes(4),
        }));
        Assert.Equal(new long[] { 4L }, await Sequences(new AuditQuery { Operation = "RESTORE" }));
        Assert.Equal(new long[] { 2L, 3 }, await Sequences(new AuditQuery { Actor = "Bob" }));
        Assert.Equal(new long[] { 2L, 3 }, await Sequences(new AuditQuery { Actor = "bob@DB02" }));
        Assert.Empty(await Sequences(new AuditQuery { Actor = "bob@build01" }));
        Assert.Equal(new long[] { 2L }, await Sequences(new AuditQuery { Outcome = AuditOutcome.Denied }));
        Assert.Equal(new long[] { 3L }, await Sequences(new AuditQuery { Actor = "bob", Outcome = AuditOutcome.Succeeded }));
        Assert.Equal(new long[] { 4L, 5 }, await Sequences(new AuditQuery { FromSequence = 4 }));
    }

    [Fact]
    public async Task Head_is_genesis_for_an_empty_log_then_the_last_record_and_round_trips_through_a_snapshot()
    {
        Assert.Equal(AuditHead.Genesis, await _context.Log.GetHeadAsync());
        Assert.Equal("0:" + new string('0', 64), AuditHead.Genesis.ToString());

        var records = await _context.AppendAsync(3);
        var head = await _context.Log.GetHeadAsync();

        Assert.Equal(new AuditHead(3, records[2].Hash), head);
        Assert.Equal($"3:{records[2].Hash}", head.ToString());
        var snapshot = NewSnapshot(head);
        var id = await _context.Repository.SaveSnapshotAsync(snapshot.ToJson());
        Assert.Equal([head], await AuditLog.ReadSnapshotAnchorsAsync(_context.Repository));
        Assert.Equal(head, AuditHead.Parse(Snapshot.FromJson(await _context.Repository.LoadSnapshotAsync(id), id).AuditHead!));
    }

    [Fact]
    public async Task Head_is_read_from_storage_so_it_sees_records_appended_by_another_instance()
    {
        await _context.AppendAsync(2);
        await using (var other = await _context.RepositoryContext.OpenAsync())
        {
            using var otherLog = AuditLog.Open(other);
            await otherLog.AppendAsync(AuditTestContext.Event(3));
        }

        Assert.Equal(3, (await _context.Log.GetHeadAsync()).Sequence);
        var next = await _context.Log.AppendAsync(AuditTestContext.Event(4));
        Assert.Equal(4, next.Sequence);
        Assert.True((await _context.Log.VerifyAsync()).Passed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1:" + "00")]
    [InlineData("01:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("-1:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0:1111111111111111111111111111111111111111111111111111111111111111")]
    [InlineData("5:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("5 :abcdef0000000000000000000000000000000000000000000000000000000000")]
    public void Malformed_audit_heads_are_refused(string text)
    {
        Assert.False(AuditHead.TryParse(text, out _));
        Assert.Throws<FormatException>(() => AuditHead.Parse(text));
    }

    [Fact]
    public async Task First_append_publishes_the_public_key_readable_without_credentials()
    {
        Assert.Null(await RepositoryAuditStorage.ReadPublishedKeyAsync(_context.Backend));

        await _context.AppendAsync(1);

        var published = await RepositoryAuditStorage.ReadPublishedKeyAsync(_context.Backend);
        Assert.Equal(_context.Log.PublicKey, published);
        var json = Encoding.UTF8.GetString(await _context.Backend.ReadAllAsync(RepositoryPaths.AuditKey));
        Assert.Equal($$"""{"version":1,"algorithm":"Ed25519","publicKey":"{{published!.Hex}}"}""", json);

        // The key comes from the master key, so every holder of the credentials derives the same one.
        await using var reopened = await _context.RepositoryContext.OpenAsync();
        using var reopenedLog = AuditLog.Open(reopened);
        Assert.Equal(_context.Log.PublicKey, reopenedLog.PublicKey);
    }

    [Fact]
    public async Task Two_repositories_have_different_audit_keys()
    {
        await using var other = await AuditTestContext.CreateAsync();

        Assert.NotEqual(_context.Log.PublicKey, other.Log.PublicKey);
    }

    [Fact]
    public async Task Records_are_sealed_so_storage_shows_none_of_their_text()
    {
        await _context.Log.AppendAsync(AuditTestContext.Event(1) with { Target = "/very/secret-project-name" });

        var raw = await _context.ReadRawAsync(1);

        Assert.DoesNotContain("secret-project-name", Encoding.Latin1.GetString(raw), StringComparison.Ordinal);
        Assert.DoesNotContain("alice", Encoding.Latin1.GetString(raw), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("NewPassphrase")]
    [InlineData("clientSecret")]
    public async Task Parameters_named_like_secrets_are_refused_and_nothing_is_written(string name)
    {
        var auditEvent = AuditTestContext.Event(1) with { Parameters = new Dictionary<string, string> { [name] = "hunter2" } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _context.Log.AppendAsync(auditEvent));

        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _context.RepositoryContext.ListAsync(RepositoryPaths.AuditPrefix));
    }

    [Fact]
    public async Task Failed_access_is_recorded_as_denied_with_its_error()
    {
        await _context.AppendAsync(1);

        var record = await _context.Log.AppendFailedAccessAsync(
            AuditOperations.Open, _context.Repository.Location, "No key slot opens with these credentials.", AuditTestContext.Bob);

        Assert.Equal(2, record.Sequence);
        Assert.Equal(AuditOutcome.Denied, record.Outcome);
        Assert.Equal("No key slot opens with these credentials.", record.Error);
        Assert.Equal([2L], (await _context.ReadAllAsync(new AuditQuery { Outcome = AuditOutcome.Denied })).Select(r => r.Sequence));
        Assert.True((await _context.Log.VerifyAsync()).Passed);
    }

    [Fact]
    public async Task Append_refuses_to_chain_onto_a_head_record_that_is_not_authentic()
    {
        await _context.AppendAsync(3);
        var raw = await _context.ReadRawAsync(3);
        raw[^5] ^= 0x01;
        await _context.ReplaceRawAsync(3, raw);
        using var fresh = AuditLog.Open(_context.Repository);

        var ex = await Assert.ThrowsAsync<AuditRecordDamagedException>(() => fresh.AppendAsync(AuditTestContext.Event(4)));

        Assert.Equal(3, ex.Sequence);
        Assert.Contains("Test-ForgeAuditLog", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposed_log_refuses_to_append()
    {
        _context.Log.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _context.Log.AppendAsync(AuditTestContext.Event(1)));
    }

    internal static Snapshot NewSnapshot(AuditHead head) => new()
    {
        Time = AuditTestContext.Start,
        EndTime = AuditTestContext.Start.AddMinutes(1),
        Host = "build01",
        User = "alice",
        Tree = new string('9', 64),
        AuditHead = head.ToString(),
    };

    internal static async Task<string> SaveSnapshotAsync(ForgeRepository repository, AuditHead head) =>
        await repository.SaveSnapshotAsync(NewSnapshot(head).ToJson());
}
