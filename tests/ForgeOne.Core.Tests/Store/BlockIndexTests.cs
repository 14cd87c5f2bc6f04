using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Sqlite;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Tests.Store;

/// <summary>
/// The block index (schema 2): one index row per block, blocks of different batches overlapping in time, the span
/// bound that tells a query how far before its start a block can begin.
/// </summary>
public sealed class BlockIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly StoreDatabase Logs0 = new(StoreDatabaseKind.Logs, 0);

    [Fact]
    public void Blocks_of_batches_that_overlap_in_time_are_merged_in_timestamp_order_on_every_page()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);

        // Three batches over the same ten minutes, interleaved a second apart: every block overlaps blocks of the
        // other batches, so no order of whole blocks is the timestamp order.
        var written = new List<LogEntry>();
        for (var batch = 0; batch < 3; batch++)
        {
            written.AddRange(store.Logs.Write(Enumerable.Range(0, 600).Select(index => new LogEntry
            {
                Topic = "app/auth",
                Timestamp = Start.AddSeconds((index * 3) + batch).AddTicks(index % 7 * 10),
                Message = $"batch {batch} entry {index}",
            })));
        }

        var expected = written.OrderBy(entry => entry.Timestamp).ThenBy(entry => entry.Id).Select(entry => entry.Id).ToList();
        var paged = new List<long>();
        string? token = null;
        do
        {
            var page = store.Logs.ReadPage(new LogQuery { Topic = "app/auth", PageSize = 77, After = token });
            paged.AddRange(page.Items.Select(entry => entry.Id));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(expected, paged);

        // A range that starts and ends inside blocks.
        var from = Start.AddSeconds(301.5);
        var to = Start.AddSeconds(1200.5);
        Assert.Equal(
            written.Where(entry => entry.Timestamp >= from && entry.Timestamp < to).OrderBy(entry => entry.Timestamp).ThenBy(entry => entry.Id).Select(entry => entry.Id),
            store.Logs.Read(new LogQuery { Topic = "app/auth", From = from, To = to, PageSize = 100 }).Select(entry => entry.Id));
    }

    [Fact]
    public void A_batch_covering_hours_of_a_topic_is_cut_into_blocks_of_at_most_an_hour_and_queries_find_their_middles()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);

        // One entry every 5 minutes for 10 hours in one batch: few enough for one block, too long a span.
        var written = store.Logs.Write(Enumerable.Range(0, 120).Select(index => new LogEntry
        {
            Topic = "infra/disk",
            Timestamp = Start.AddMinutes(index * 5),
            Message = $"disk check {index}",
        }));

        using (var shard = store.OpenShard(Logs0))
        {
            var blocks = StoreTestContext.Blocks(shard, "logs");
            Assert.InRange(blocks.Count, 10, 12);
            Assert.All(blocks, block => Assert.InRange(block.TimestampAt(block.Count - 1) - block.TimestampAt(0), 0, RecordBlock.MaxSpanMicros));
            StoreTestContext.AssertIndexDescribesBlocks(shard, "logs", "log_index");
            var span = (long)shard.Connection.Scalar("SELECT span FROM log_spans")!;
            Assert.Equal(blocks.Max(block => block.TimestampAt(block.Count - 1) - block.TimestampAt(0)), span);
        }

        var from = Start.AddMinutes(97);
        var found = store.Logs.Read(new LogQuery { Topic = "infra/disk", From = from, To = from.AddMinutes(20) }).ToList();
        Assert.Equal(written.Where(entry => entry.Timestamp >= from && entry.Timestamp < from.AddMinutes(20)).Select(entry => entry.Id), found.Select(entry => entry.Id));
        Assert.Equal(4, found.Count);
    }

    [Fact]
    public void An_index_row_whose_block_is_gone_is_reported_not_skipped()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(300, Start, topic: "app/auth"));
        using (var shard = store.OpenShard(Logs0))
        {
            shard.Connection.Execute("DELETE FROM logs WHERE id = (SELECT min(id) FROM logs)");
        }

        var error = Assert.Throws<RecordIntegrityException>(() => store.Logs.Read(new LogQuery { Topic = "app/auth" }).ToList());
        Assert.Contains("log_index", error.Message, StringComparison.Ordinal);
    }
}
