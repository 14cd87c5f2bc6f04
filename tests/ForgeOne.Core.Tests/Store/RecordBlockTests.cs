using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Retention;
using ForgeOne.Core.Store.Sqlite;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Tests.Store;

public sealed class RecordBlockTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly StoreDatabase Logs0 = new(StoreDatabaseKind.Logs, 0);

    [Fact]
    public void A_block_holds_records_of_one_topic_only_and_every_record_has_its_index_row()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);

        // Topics interleaved entry by entry: the writer must regroup them.
        var written = store.Logs.Write(StoreTestContext.SampleLogs(3000, Start));

        var blocks = 0;
        foreach (var database in store.Layout.Shards(StoreDatabaseKind.Logs))
        {
            using var shard = store.OpenShard(database);
            foreach (var block in StoreTestContext.Blocks(shard, "logs"))
            {
                blocks++;
                Assert.InRange(block.Count, 1, RecordBlock.MaxRecords);
                var topics = Enumerable.Range(0, block.Count)
                    .Select(index => LogCodec.Instance.Deserialize(block.IdAt(index), database.Shard, block.RecordAt(index), store.Subjects).Topic)
                    .Distinct().ToList();
                Assert.Single(topics);
                Assert.Equal(block.Key, block.IdAt(0));
            }

            StoreTestContext.AssertIndexDescribesBlocks(shard, "logs", "log_index");
        }

        // 3000 entries of 4 topics over 2 shards in one batch: about 375 per topic and shard, 3 to 7 blocks each.
        Assert.InRange(blocks, 3000 / RecordBlock.MaxRecords, 2 * 4 * 7);
        Assert.Equal(written.Select(entry => entry.Id).Order(), store.Logs.Read(new LogQuery()).Select(entry => entry.Id).Order());
    }

    [Fact]
    public void Retention_that_expires_part_of_a_block_keeps_the_rest_readable_and_removes_the_expired_everywhere()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        var now = DateTimeOffset.UtcNow;
        var cutoff = now.AddDays(-30);

        // One topic, 37 ms apart, 6 s before the cutoff to 8.8 s after: the cutoff falls inside the second block.
        var written = store.Logs.Write(StoreTestContext.SampleLogs(400, cutoff.AddSeconds(-6), topic: "app/auth"));
        var expired = written.Where(entry => entry.Timestamp < cutoff).Select(entry => entry.Id).Order().ToList();
        var kept = written.Where(entry => entry.Timestamp >= cutoff).OrderBy(entry => entry.Id).ToList();
        Assert.InRange(expired.Count, RecordBlock.MaxRecords + 1, (2 * RecordBlock.MaxRecords) - 1);
        List<long> keysBefore;
        using (var shard = store.OpenShard(Logs0))
        {
            keysBefore = [.. StoreTestContext.Blocks(shard, "logs").Select(block => block.Key)];
        }

        var retention = new StoreRetention(store);
        var plan = retention.Plan(new StoreRetentionPolicy { Logs = TimeSpan.FromDays(30) }, now);

        // Batches of 10 records' worth of blocks: one block per transaction, the straddling one resealed once.
        var result = retention.Apply(plan, batchSize: 10);

        Assert.Equal(expired.Count, result.TotalDeleted);
        var read = store.Logs.Read(new LogQuery { Topic = "app/auth", PageSize = 30 }).OrderBy(entry => entry.Id).ToList();
        Assert.Equal(kept.Select(entry => (entry.Id, entry.Message)), read.Select(entry => (entry.Id, entry.Message)));
        Assert.Equal(kept.Select(entry => entry.Id), store.Logs.Read(new LogQuery()).Select(entry => entry.Id).Order());
        using (var shard = store.OpenShard(Logs0))
        {
            var blockIds = StoreTestContext.BlockRecordIds(shard, "logs");
            Assert.Equal(kept.Select(entry => entry.Id), blockIds);
            StoreTestContext.AssertIndexDescribesBlocks(shard, "logs", "log_index");
            Assert.Empty(blockIds.Intersect(expired));

            // The straddling block now starts at the first kept entry, a key no block had before.
            var keys = StoreTestContext.Blocks(shard, "logs").Select(block => block.Key).ToList();
            Assert.Equal(kept[0].Id, keys[0]);
            Assert.DoesNotContain(keys[0], keysBefore);
        }

        // A reading after a checkpoint and a new write see the rewritten block like any other.
        var replayed = store.Logs.ReadAfterCheckpoint("c", new LogQuery { PageSize = 7 }).Select(entry => entry.Id).ToList();
        Assert.Equal(kept.Select(entry => entry.Id), replayed);
        var later = store.Logs.Write([new LogEntry { Topic = "app/auth", Message = "after retention", Timestamp = now }]);
        Assert.True(later[0].Id > kept[^1].Id);
        Assert.Equal(kept.Count + 1, store.Logs.Read(new LogQuery()).Count());
    }

    [Fact]
    public void A_tampered_block_fails_to_open_naming_its_shard_and_table()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(500, Start, topic: "app/auth"));
        using (var shard = store.OpenShard(Logs0))
        {
            var key = (long)shard.Connection.Scalar("SELECT id FROM logs ORDER BY id LIMIT 1 OFFSET 3")!;
            var value = (byte[])shard.Connection.Scalar($"SELECT value FROM logs WHERE id = {key}")!;
            value[^20] ^= 0x01;
            using var command = shard.Connection.CreateCommand();
            command.CommandText = "UPDATE logs SET value = $value WHERE id = $id";
            command.Parameters.AddWithValue("$value", value);
            command.Parameters.AddWithValue("$id", key);
            command.ExecuteNonQuery();
        }

        var byTime = Assert.Throws<RecordIntegrityException>(() => store.Logs.Read(new LogQuery { Topic = "app/auth" }).ToList());
        Assert.Equal("logs_shard_0.redb", byTime.Database);
        Assert.Equal("logs", byTime.Table);
        Assert.Contains("authentication", byTime.Message, StringComparison.Ordinal);
        var replay = Assert.Throws<RecordIntegrityException>(() => store.Logs.ReadAfterCheckpoint("c", new LogQuery()).ToList());
        Assert.Equal("logs_shard_0.redb", replay.Database);

        // Blocks before the damaged one still read.
        Assert.Equal(100, store.Logs.ReadPage(new LogQuery { Topic = "app/auth", PageSize = 100 }).Items.Count);
    }

    [Fact]
    public void A_block_moved_to_another_key_fails_to_open()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(300, Start, topic: "app/auth"));
        using (var shard = store.OpenShard(Logs0))
        {
            shard.Connection.Execute("UPDATE logs SET id = id + 16 WHERE id = (SELECT max(id) FROM logs)");
        }

        var error = Assert.Throws<RecordIntegrityException>(() => store.Logs.Read(new LogQuery()).ToList());
        Assert.Equal("logs", error.Table);
    }

    [Fact]
    public void Single_entries_and_checkpoint_replay_are_exact_across_block_boundaries()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);
        var written = store.Logs.Write(StoreTestContext.SampleLogs(1500, Start, topic: "app/auth")).OrderBy(entry => entry.Id).ToList();

        // Any entry alone, by its exact timestamp: first, last and middle records of blocks alike.
        foreach (var entry in written.Where((_, index) => index % 61 == 0 || index % RecordBlock.MaxRecords is 0 or RecordBlock.MaxRecords - 1).Take(40))
        {
            var found = Assert.Single(store.Logs.Read(new LogQuery { Topic = "app/auth", From = entry.Timestamp, To = entry.Timestamp.AddTicks(10) }));
            Assert.Equal((entry.Id, entry.Message), (found.Id, found.Message));
        }

        // Pages of 50 never line up with blocks; with and without a topic.
        var all = store.Logs.ReadAfterCheckpoint("reader", new LogQuery { PageSize = 50 }).Select(entry => entry.Id).ToList();
        Assert.Equal(written.Select(entry => entry.Id), all);

        // A checkpoint in the middle of a block: exactly the later ids follow, in each shard.
        var consumed = written.Where(entry => entry.Shard == 0).Take(200).Concat(written.Where(entry => entry.Shard == 1).Take(37)).ToList();
        store.Logs.SetCheckpoint("reader", consumed);
        var expected = written.Where(entry => entry.Shard == 0).Skip(200).Concat(written.Where(entry => entry.Shard == 1).Skip(37))
            .Select(entry => entry.Id).Order().ToList();
        Assert.Equal(expected, store.Logs.ReadAfterCheckpoint("reader", new LogQuery { PageSize = 50 }).Select(entry => entry.Id));
        Assert.Equal(expected, store.Logs.ReadAfterCheckpoint("reader", new LogQuery { Topic = "app/auth", PageSize = 33 }).Select(entry => entry.Id));
    }

    [Fact]
    public void Log_and_event_databases_are_created_with_large_pages_and_the_rest_with_the_default()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1, eventShards: 1);
        foreach (var database in store.Layout.Databases)
        {
            using var shard = store.OpenShard(database);
            Assert.Equal((long)StoreSchema.PageSize(database.Kind), shard.Connection.Scalar("PRAGMA page_size"));
            Assert.Equal("wal", shard.Connection.Scalar("PRAGMA journal_mode"));
        }

        using var logs = store.OpenShard(Logs0);
        Assert.Equal(65536L, logs.Connection.Scalar("PRAGMA page_size"));
    }
}
