using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Snapshots;
using ForgeOne.Core.Store.Sqlite;
using Xunit;

namespace ForgeOne.Core.Tests.Store;

public sealed class StoreSnapshotTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly StoreDatabase Logs0 = new(StoreDatabaseKind.Logs, 0);

    [Fact]
    public async Task A_snapshot_taken_while_writers_continue_verifies()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);
        store.Logs.Write(StoreTestContext.SampleLogs(3000, Start));

        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(() =>
        {
            var round = 0;
            while (!stop.IsCancellationRequested)
            {
                written += store.Logs.Write(StoreTestContext.SampleLogs(200, Start.AddHours(++round))).Count;
            }
        });
        IReadOnlyList<StoreSnapshot> snapshots;
        try
        {
            SpinWait.SpinUntil(() => written > 0, TimeSpan.FromSeconds(30));
            snapshots = store.Snapshots.Create("All");
        }
        finally
        {
            stop.Cancel();
            await writer;
        }

        Assert.True(written > 0);
        Assert.Equal(store.Layout.Databases.Count, snapshots.Count);
        Assert.All(snapshots, snapshot => Assert.Equal("ok", snapshot.Integrity));
        Assert.All(snapshots.Select(snapshot => store.Snapshots.Verify(snapshot)), verification => Assert.True(verification.Passed, string.Join(" ", verification.Problems)));
        Assert.Equal(snapshots.Select(snapshot => snapshot.Database).Order(), store.Snapshots.List().Select(snapshot => snapshot.Database).Order());
    }

    [Fact]
    public void Logical_dna_ignores_page_layout_but_not_content()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(2000, Start));

        string before, afterVacuum, afterWrite;
        using (var shard = store.OpenShard(Logs0))
        {
            before = LogicalDna.Compute(shard);
            shard.Connection.Execute("DELETE FROM logs WHERE id IN (SELECT id FROM logs ORDER BY id LIMIT 0)");
            shard.Connection.Execute("VACUUM");
            afterVacuum = LogicalDna.Compute(shard);
        }

        store.Logs.Write([new LogEntry { Topic = "app/auth", Message = "one more", Timestamp = Start }]);
        using (var shard = store.OpenShard(Logs0))
        {
            afterWrite = LogicalDna.Compute(shard);
        }

        Assert.Equal(before, afterVacuum);
        Assert.NotEqual(before, afterWrite);
    }

    [Fact]
    public void A_tampered_snapshot_fails_verification_naming_the_problem()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(500, Start));
        var snapshot = Assert.Single(store.Snapshots.Create("logs_shard_0.redb"));

        using (var connection = StoreConnection.OpenReadWrite(snapshot.Path))
        {
            var value = (byte[])connection.Scalar("SELECT value FROM logs ORDER BY id LIMIT 1")!;
            value[20] ^= 0x01;
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE logs SET value = $value WHERE id = (SELECT min(id) FROM logs)";
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
            connection.Execute("PRAGMA journal_mode = DELETE");
        }

        var verification = store.Snapshots.Verify(snapshot);
        Assert.False(verification.Passed);
        Assert.Contains(verification.Problems, problem => problem.Contains("authentication", StringComparison.Ordinal));
    }

    [Fact]
    public void A_snapshot_set_is_found_by_id_prefix()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var taken = store.Snapshots.Create("logs");

        var found = store.Snapshots.Find(taken[0].Id[..10]);

        Assert.Equal(taken.Select(snapshot => snapshot.Database).Order(), found.Select(snapshot => snapshot.Database).Order());
        Assert.Throws<StoreSnapshotNotFoundException>(() => store.Snapshots.Find("19990101"));
    }
}
