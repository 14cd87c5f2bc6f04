using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Retention;
using ForgeOne.Core.Store.Sqlite;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Tests.Store;

public sealed class StoreRetentionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly StoreRetentionPolicy ThirtyDaysOfLogs = new() { Logs = TimeSpan.FromDays(30) };

    [Fact]
    public void A_store_without_a_policy_keeps_everything_and_plans_nothing()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        store.Logs.Write(StoreTestContext.SampleLogs(200, Now.AddDays(-400)));
        var retention = new StoreRetention(store);

        Assert.Equal(StoreRetentionPolicy.KeepForever, retention.GetPolicy());
        var plan = retention.Plan(Now);
        Assert.Empty(plan.Databases);
        Assert.Equal(0, retention.Apply(Now).TotalDeleted);
        Assert.Equal(200, store.Logs.Read(new LogQuery()).Count());
    }

    [Fact]
    public void The_policy_is_a_versioned_setting_that_survives_reopening()
    {
        using var context = new StoreTestContext();
        using (var store = context.Create())
        {
            var retention = new StoreRetention(store);
            retention.SetPolicy(new StoreRetentionPolicy { Logs = TimeSpan.FromDays(90) }, "alice");
            retention.SetPolicy(new StoreRetentionPolicy { Logs = TimeSpan.FromDays(30), Events = TimeSpan.FromHours(12) }, "bob");
        }

        using var reopened = context.Open();
        Assert.Equal(new StoreRetentionPolicy { Logs = TimeSpan.FromDays(30), Events = TimeSpan.FromHours(12) }, new StoreRetention(reopened).GetPolicy());
        var history = reopened.Settings.History(StoreRetention.PolicySettingName);
        Assert.Equal(["alice", "bob"], history.Select(setting => setting.ChangedBy));
        Assert.Equal(TimeSpan.FromDays(90), StoreRetentionPolicy.Parse(history[0].Value).Logs);
    }

    [Fact]
    public void A_plan_lists_exactly_the_records_past_retention_per_database_and_deletes_nothing()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 3);
        var old = store.Logs.Write(StoreTestContext.SampleLogs(900, Now.AddDays(-40)));
        store.Logs.Write(StoreTestContext.SampleLogs(600, Now.AddDays(-2)));
        var retention = new StoreRetention(store);
        retention.SetPolicy(ThirtyDaysOfLogs, "alice");

        var plan = retention.Plan(Now, maxIds: 10_000);

        Assert.Equal(900, plan.TotalRecords);
        Assert.Empty(plan.Skipped);
        foreach (var item in plan.Databases)
        {
            var expected = old.Where(entry => $"logs_shard_{entry.Shard}.redb" == item.Database).ToList();
            Assert.Equal(StoreDatabaseKind.Logs, item.Kind);
            Assert.Equal(Now.AddDays(-30), item.Cutoff);
            Assert.Equal(expected.Count, item.Count);
            Assert.Equal(expected.Min(entry => entry.Timestamp), item.Oldest);
            Assert.Equal(expected.Max(entry => entry.Timestamp), item.Newest);
            Assert.Equal(expected.Select(entry => entry.Id).Order(), item.Ids);
            Assert.False(item.IdsTruncated);
        }

        Assert.Equal(3, plan.Databases.Count);
        Assert.Equal(1500, store.Logs.Read(new LogQuery()).Count());
    }

    [Fact]
    public void A_huge_plan_keeps_only_a_few_ids_but_exact_counts()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);
        store.Logs.Write(StoreTestContext.SampleLogs(1000, Now.AddDays(-40)));

        var plan = new StoreRetention(store).Plan(ThirtyDaysOfLogs, Now, maxIds: 10);

        Assert.Equal(1000, plan.TotalRecords);
        Assert.All(plan.Databases, item =>
        {
            Assert.Equal(10, item.Ids.Count);
            Assert.True(item.IdsTruncated);
        });
    }

    [Fact]
    public void Applying_a_plan_deletes_old_entries_from_value_and_index_tables_and_keeps_the_rest()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);
        store.Logs.Write(StoreTestContext.SampleLogs(1200, Now.AddDays(-40)));
        var recent = store.Logs.Write(StoreTestContext.SampleLogs(500, Now.AddDays(-29)));
        var retention = new StoreRetention(store);
        retention.SetPolicy(ThirtyDaysOfLogs, "alice");
        var plan = retention.Plan(Now);

        // Small batches: many transactions per topic and shard.
        var result = retention.Apply(plan, batchSize: 37);

        Assert.Equal(1200, result.TotalDeleted);
        Assert.Equal(plan.Databases.Select(item => (item.Database, item.Count)), result.Databases.Select(item => (item.Database, item.Deleted)));
        Assert.Equal(recent.Select(entry => entry.Id).Order(), store.Logs.Read(new LogQuery()).Select(entry => entry.Id).Order());
        foreach (var database in store.Layout.Shards(StoreDatabaseKind.Logs))
        {
            using var shard = store.OpenShard(database);
            StoreTestContext.AssertIndexDescribesBlocks(shard, "logs", "log_index");
        }

        Assert.Empty(retention.Plan(Now).Databases);
    }

    [Fact]
    public void Databases_dropped_from_a_plan_are_spared()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);
        var old = store.Logs.Write(StoreTestContext.SampleLogs(400, Now.AddDays(-40)));
        var retention = new StoreRetention(store);
        var plan = retention.Plan(ThirtyDaysOfLogs, Now);
        var confirmed = plan with { Databases = [plan.Databases[0]] };

        var result = retention.Apply(confirmed);

        var spared = old.Count(entry => $"logs_shard_{entry.Shard}.redb" == plan.Databases[1].Database);
        Assert.Equal(plan.Databases[0].Count, result.TotalDeleted);
        Assert.Equal(spared, store.Logs.Read(new LogQuery()).Count());
    }

    [Fact]
    public void Applying_at_a_time_without_a_plan_uses_the_stored_policy()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(300, Now.AddDays(-10)));
        var retention = new StoreRetention(store);
        retention.SetPolicy(new StoreRetentionPolicy { Logs = TimeSpan.FromDays(7) }, "alice");

        Assert.Equal(300, retention.Apply(Now).TotalDeleted);
        Assert.Empty(store.Logs.Read(new LogQuery()));
    }

    [Fact]
    public void A_blob_age_without_a_blob_target_is_reported_as_skipped()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();

        var plan = new StoreRetention(store).Plan(new StoreRetentionPolicy { Blobs = TimeSpan.FromDays(1) }, Now);

        Assert.Equal([StoreDatabaseKind.Blobs], plan.Skipped);
        Assert.Empty(plan.Databases);
    }

    [Fact]
    public void Blobs_past_their_age_are_planned_and_removed_with_their_chunks()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        store.Blobs.Add("reports/q1.pdf", new MemoryStream(new byte[300_000]));
        store.Blobs.Add("reports/q2.pdf", new MemoryStream(Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray()));
        var policy = new StoreRetentionPolicy { Blobs = TimeSpan.FromDays(1) };

        Assert.Equal(0, store.Retention.Plan(policy, Now).TotalRecords);
        var plan = store.Retention.Plan(policy, Now.AddDays(2));
        Assert.Equal(2, Assert.Single(plan.Databases).Count);

        store.Retention.Apply(plan);

        Assert.Empty(store.Blobs.List());
        using var shard = store.OpenShard(new StoreDatabase(StoreDatabaseKind.Blobs, 0));
        Assert.Equal(0L, shard.Connection.Scalar("SELECT count(*) FROM chunks"));
    }

    [Fact]
    public void A_policy_with_a_non_positive_age_is_refused()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();

        var error = Assert.Throws<StoreValidationException>(() =>
            new StoreRetention(store).SetPolicy(new StoreRetentionPolicy { Events = TimeSpan.Zero }, "alice"));
        Assert.Equal("Events", error.Field);
        Assert.Null(store.Settings.Get(StoreRetention.PolicySettingName));
    }

    [Fact]
    public void An_index_row_that_disagrees_with_its_block_stops_retention_with_the_block_named()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        var cutoff = Now.AddDays(-30);
        store.Logs.Write(StoreTestContext.SampleLogs(50, cutoff.AddHours(-2), topic: "app/auth"));
        store.Logs.Write(StoreTestContext.SampleLogs(50, cutoff.AddHours(2), topic: "app/auth"));

        // The later block's row claims it starts a day before the cutoff; none of its records does.
        using (var shard = store.OpenShard(new StoreDatabase(StoreDatabaseKind.Logs, 0)))
        {
            var dayBefore = IndexPosition.Micros(cutoff.AddDays(-1));
            shard.Connection.Execute($"UPDATE log_index SET timestamp = {dayBefore} WHERE id = (SELECT max(id) FROM log_index)");
        }

        var retention = new StoreRetention(store);
        var plan = retention.Plan(ThirtyDaysOfLogs, Now);

        var error = Assert.Throws<RecordIntegrityException>(() => retention.Apply(plan, batchSize: 1000));
        Assert.Contains("log_index", error.Message, StringComparison.Ordinal);
    }
}
