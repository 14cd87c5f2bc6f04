using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Rotation;
using ForgeOne.Core.Store.Sqlite;

namespace ForgeOne.Core.Tests.Store;

public sealed class KeyRotationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rotation_reseals_every_record_under_a_new_epoch_and_all_stay_readable()
    {
        using var context = new StoreTestContext();
        List<string> messages;
        using (var store = context.Create(logShards: 2))
        {
            // 3000 entries over 2 shards trains a dictionary in each, so dictionaries are re-sealed too.
            messages = [.. store.Logs.Write(StoreTestContext.SampleLogs(3000, Start)).OrderBy(entry => entry.Id).Select(entry => entry.Message)];
            store.Settings.Set("feature.search", "on", "alice");
            var before = CountByEpoch(store);
            Assert.Equal([1], before.Keys);
            using (var shard = store.OpenShard(new StoreDatabase(StoreDatabaseKind.Logs, 0)))
            {
                Assert.True(shard.Cipher.HasDictionary);
            }

            var result = new StoreKeyRotation(store).Run(batchSize: 250);

            Assert.Equal(2, result.Epoch);
            Assert.True(result.Completed);
            Assert.False(result.Resumed);
            Assert.Equal(before[1], result.RecordsResealed);
            Assert.Equal(store.Layout.Databases.Count, result.Databases);
            Assert.Equal(new Dictionary<int, long> { [2] = before[1] }, CountByEpoch(store));
            Assert.Equal(2, store.Keys.CurrentEpoch);
            Assert.False(StoreKeyRotation.IsPending(store));
            Assert.Equal(messages, ReadMessages(store));
        }

        using var reopened = context.Open();
        Assert.Equal([1, 2], reopened.Keys.Epochs);
        Assert.Equal(2, reopened.Keys.CurrentEpoch);
        Assert.Equal(messages, ReadMessages(reopened));
        Assert.Equal("on", reopened.Settings.Get("feature.search")!.Value);
        var later = reopened.Logs.Write(StoreTestContext.SampleLogs(10, Start.AddHours(2), topic: "app/late"));
        Assert.Equal(new Dictionary<int, long> { [2] = CountByEpoch(reopened)[2] }, CountByEpoch(reopened));
        Assert.Equal(10, reopened.Logs.Read(new LogQuery { Topic = "app/late" }).Count());
    }

    [Fact]
    public void An_interrupted_rotation_resumes_from_its_cursor_after_reopening_and_reseals_only_the_rest()
    {
        using var context = new StoreTestContext();
        List<string> messages;
        long total;
        long remaining;
        using (var store = context.Create(logShards: 2))
        {
            messages = [.. store.Logs.Write(StoreTestContext.SampleLogs(2400, Start)).OrderBy(entry => entry.Id).Select(entry => entry.Message)];
            total = CountByEpoch(store)[1];
            using var cancellation = new CancellationTokenSource();
            var batches = 0;
            var progress = new SynchronousProgress<StoreKeyRotationProgress>(_ =>
            {
                if (++batches == 5)
                {
                    cancellation.Cancel();
                }
            });

            // Log entries are sealed in blocks of many, so 2400 entries are a few dozen rows: batches of 3 rows.
            Assert.ThrowsAny<OperationCanceledException>(() => new StoreKeyRotation(store).Run(batchSize: 3, progress, cancellation.Token));

            var counts = CountByEpoch(store);
            remaining = counts[1];
            Assert.True(counts[2] >= (5 * 3) - 3, $"5 batches committed, but only {counts[2]} rows carry epoch 2");
            Assert.True(remaining > 0);
            Assert.Equal(total, counts[1] + counts[2]);
            Assert.True(StoreKeyRotation.IsPending(store));
            using var system = store.OpenShard(StoreDatabase.System);
            var row = MetadataTable.GetText(system.Connection, "rotation")!;
            Assert.Contains("\"epoch\":2", row);
            Assert.Contains("\"cursor\":[\"i:", row);
        }

        using var reopened = context.Open();
        Assert.Equal(2, reopened.Keys.CurrentEpoch);
        var rotation = new StoreKeyRotation(reopened);
        Assert.Equal(2, rotation.Start());
        Assert.True(rotation.Resumed);

        var result = rotation.Run(batchSize: 3);

        Assert.True(result.Completed);
        Assert.True(result.Resumed);
        Assert.Equal(remaining, result.RecordsResealed);
        Assert.Equal(new Dictionary<int, long> { [2] = total }, CountByEpoch(reopened));
        Assert.Equal([1, 2], reopened.Keys.Epochs);
        Assert.Equal(messages, ReadMessages(reopened));
        Assert.False(StoreKeyRotation.IsPending(reopened));
    }

    [Fact]
    public void A_rotation_stopped_by_a_failing_progress_callback_resumes_without_repeating_work()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(900, Start));
        var total = CountByEpoch(store)[1];

        Assert.Throws<IOException>(() => new StoreKeyRotation(store).Run(batchSize: 5,
            new SynchronousProgress<StoreKeyRotationProgress>(report => throw new IOException("disk full while logging progress"))));
        var remaining = CountByEpoch(store)[1];

        var result = new StoreKeyRotation(store).Run(batchSize: 5);

        Assert.True(total > 5, $"only {total} rows to rotate");
        Assert.Equal(total - 5, remaining);
        Assert.Equal(remaining, result.RecordsResealed);
        Assert.Equal(new Dictionary<int, long> { [2] = total }, CountByEpoch(store));
    }

    [Fact]
    public void Records_written_under_the_old_epoch_by_a_process_opened_before_the_rotation_are_resealed_too()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(600, Start));
        using var stale = context.Open();
        var passes = new HashSet<int>();
        var staleWrote = false;

        var result = new StoreKeyRotation(store).Run(batchSize: 100, new SynchronousProgress<StoreKeyRotationProgress>(report =>
        {
            passes.Add(report.Pass);
            if (report.Table == "logs" && !staleWrote)
            {
                // system.redb is already walked: this setting lands behind the cursor, sealed under epoch 1.
                staleWrote = true;
                stale.Settings.Set("written.by.stale", "yes", "old-process");
            }
        }));

        Assert.True(result.Completed);
        Assert.Contains(2, passes);
        Assert.Equal([2], CountByEpoch(store).Keys);

        // The stale process picks up the new epoch when it meets a record sealed under it.
        Assert.Equal("yes", stale.Settings.Get("written.by.stale")!.Value);
        Assert.Equal(600, stale.Logs.Read(new LogQuery()).Count());
        Assert.Equal(2, stale.Keys.CurrentEpoch);
    }

    [Fact]
    public void A_finished_rotation_is_not_resumed_and_the_next_one_adds_an_epoch()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(50, Start));

        var first = new StoreKeyRotation(store).Run();
        var second = new StoreKeyRotation(store).Run();

        Assert.Equal(2, first.Epoch);
        Assert.Equal(3, second.Epoch);
        Assert.False(second.Resumed);
        Assert.Equal([1, 2, 3], store.Keys.Epochs);
        Assert.Equal([3], CountByEpoch(store).Keys);
        Assert.Equal(50, store.Logs.Read(new LogQuery()).Count());
    }

    [Fact]
    public void A_shard_from_before_the_rotation_still_opens_because_old_epoch_keys_are_kept()
    {
        using var context = new StoreTestContext();
        List<string> messages;
        long rows;
        using (var store = context.Create(logShards: 1))
        {
            messages = [.. store.Logs.Write(StoreTestContext.SampleLogs(300, Start)).OrderBy(entry => entry.Id).Select(entry => entry.Message)];
            rows = CountByEpoch(store)[1];
        }

        var shardPath = Path.Join(context.Root, "logs_shard_0.redb");
        var backup = Path.Join(context.TempPath, "logs_shard_0.before-rotation.redb");
        File.Copy(shardPath, backup);
        using (var store = context.Open())
        {
            Assert.True(new StoreKeyRotation(store).Run().Completed);
        }

        File.Copy(backup, shardPath, overwrite: true);
        using var restored = context.Open();
        Assert.Equal(2, restored.Keys.CurrentEpoch);
        Assert.Equal(rows, CountByEpoch(restored)[1]);
        Assert.Equal(messages, ReadMessages(restored));
    }

    /// <summary>Rows of every sealed table of every database, by epoch.</summary>
    internal static Dictionary<int, long> CountByEpoch(ForgeStore store)
    {
        var counts = new Dictionary<int, long>();
        foreach (var database in store.Layout.Databases)
        {
            using var shard = store.OpenShard(database);
            foreach (var (table, _) in StoreSchema.SealedTables(database.Kind))
            {
                using var command = shard.Connection.CreateCommand();
                command.CommandText = $"SELECT epoch, count(*) FROM {table} GROUP BY epoch";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    counts[reader.GetInt32(0)] = counts.GetValueOrDefault(reader.GetInt32(0)) + reader.GetInt64(1);
                }
            }
        }

        return counts;
    }

    private static List<string> ReadMessages(ForgeStore store) =>
        [.. store.Logs.Read(new LogQuery { PageSize = 5000 }).OrderBy(entry => entry.Id).Select(entry => entry.Message)];

    /// <summary>Reports on the calling thread at once (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
