using System.Text;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Events;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Core.Tests.Store;

public sealed class CheckpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Replay_after_a_checkpoint_returns_exactly_the_unconsumed_events_in_order()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(eventShards: 4);
        var first = store.Events.Send(EventStoreTests.SampleEvents(100, Start, "orders/created"));

        var consumed = store.Events.Read(new EventQuery { Topic = "orders/created", AfterCheckpoint = "exporter" }).Take(60).ToList();
        store.Events.SetCheckpoint("exporter", consumed);
        var second = store.Events.Send(EventStoreTests.SampleEvents(50, Start.AddMinutes(-30), "orders/created"));
        var replayed = store.Events.Read(new EventQuery { Topic = "orders/created", AfterCheckpoint = "exporter", PageSize = 7 }).ToList();

        var all = first.Concat(second).OrderBy(message => message.Id).Select(message => message.Id).ToList();
        Assert.Equal(all.Take(60), consumed.Select(message => message.Id));
        Assert.Equal(90, replayed.Count);
        Assert.Equal(all.Skip(60), replayed.Select(message => message.Id));
        Assert.Equal(4, first.Select(message => message.Shard).Distinct().Count());
    }

    [Fact]
    public void Replay_pages_join_up_with_their_continuation_tokens()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(eventShards: 3);
        var sent = store.Events.Send(EventStoreTests.SampleEvents(200, Start, topic: null));

        var ids = new List<long>();
        var page = store.Events.ReadPage(new EventQuery { AfterCheckpoint = "c", PageSize = 33 });
        ids.AddRange(page.Items.Select(message => message.Id));
        while (page.ContinuationToken is { } token)
        {
            page = store.Events.ReadPage(new EventQuery { AfterCheckpoint = "c", PageSize = 33, After = token });
            ids.AddRange(page.Items.Select(message => message.Id));
        }

        Assert.Equal(sent.Select(message => message.Id).Order(), ids);
    }

    [Fact]
    public void Replay_by_topic_and_priority_returns_only_matching_events()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(eventShards: 2);
        var sent = store.Events.Send(EventStoreTests.SampleEvents(300, Start, topic: null));
        store.Events.SetCheckpoint("c", sent.Where(message => message.Topic == "orders/paid").OrderBy(message => message.Id).Take(20));

        var replayed = store.Events.Read(new EventQuery { Topic = "orders/paid", MinimumPriority = EventPriority.High, AfterCheckpoint = "c" }).ToList();

        var checkpoint = store.Events.GetCheckpoint("c")!;
        var expected = sent
            .Where(message => message.Topic == "orders/paid" && message.Priority >= EventPriority.High && message.Id > checkpoint.PositionOf(message.Shard))
            .OrderBy(message => message.Id).Select(message => message.Id);
        Assert.Equal(expected, replayed.Select(message => message.Id));
    }

    [Fact]
    public void A_checkpoint_only_moves_forward()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(eventShards: 2);
        var sent = store.Events.Send(EventStoreTests.SampleEvents(40, Start, "a")).OrderBy(message => message.Id).ToList();

        var ahead = store.Events.SetCheckpoint("c", sent.Take(30));
        var after = store.Events.SetCheckpoint("c", sent.Take(10));

        Assert.Equal(ahead.Positions, after.Positions);
        Assert.Equal(10, store.Events.Read(new EventQuery { AfterCheckpoint = "c" }).Count());
    }

    [Fact]
    public void Removing_a_checkpoint_starts_the_consumer_over()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var sent = store.Events.Send(EventStoreTests.SampleEvents(25, Start, "a"));
        store.Events.SetCheckpoint("c", sent);
        Assert.Empty(store.Events.Read(new EventQuery { AfterCheckpoint = "c" }));

        Assert.True(store.Events.RemoveCheckpoint("c"));
        Assert.False(store.Events.RemoveCheckpoint("c"));
        Assert.Null(store.Events.GetCheckpoint("c"));
        Assert.Equal(25, store.Events.Read(new EventQuery { AfterCheckpoint = "c" }).Count());
    }

    [Fact]
    public void Consumers_keep_separate_checkpoints_that_survive_reopening_the_store()
    {
        using var context = new StoreTestContext();
        IReadOnlyList<EventMessage> sent;
        using (var store = context.Create(eventShards: 2))
        {
            sent = store.Events.Send(EventStoreTests.SampleEvents(50, Start, "a")).OrderBy(message => message.Id).ToList();
            store.Events.SetCheckpoint("fast", sent.Take(45));
            store.Events.SetCheckpoint("slow", sent.Take(5));
        }

        using var reopened = context.Open();
        Assert.Equal(sent.Skip(45).Select(message => message.Id), reopened.Events.Read(new EventQuery { AfterCheckpoint = "fast" }).Select(message => message.Id));
        Assert.Equal(sent.Skip(5).Select(message => message.Id), reopened.Events.Read(new EventQuery { AfterCheckpoint = "slow" }).Select(message => message.Id));
    }

    [Fact]
    public void Log_consumers_replay_after_their_checkpoint_too()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 4);
        var first = store.Logs.Write(StoreTestContext.SampleLogs(100, Start, topic: "app/auth"));

        var consumed = store.Logs.ReadAfterCheckpoint("shipper", new LogQuery { Topic = "app/auth" }).Take(60).ToList();
        store.Logs.SetCheckpoint("shipper", consumed);
        var second = store.Logs.Write(StoreTestContext.SampleLogs(50, Start, topic: "app/auth"));
        var replayed = store.Logs.ReadAfterCheckpoint("shipper", new LogQuery { Topic = "app/auth", PageSize = 9 }).ToList();

        var all = first.Concat(second).OrderBy(entry => entry.Id).Select(entry => entry.Id).ToList();
        Assert.Equal(all.Skip(60), replayed.Select(entry => entry.Id));
        Assert.NotNull(store.Logs.GetCheckpoint("shipper"));
        Assert.Null(store.Events.GetCheckpoint("shipper"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public void Bad_consumer_names_are_refused_with_the_field_named(string consumer)
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var sent = store.Events.Send(EventStoreTests.SampleEvents(3, Start, "a"));

        Assert.Equal("Consumer", Assert.Throws<StoreValidationException>(() => store.Events.SetCheckpoint(consumer, sent)).Field);
        Assert.Equal("Consumer", Assert.Throws<StoreValidationException>(() => store.Events.Read(new EventQuery { AfterCheckpoint = consumer })).Field);
    }

    [Fact]
    public void Events_that_were_never_stored_cannot_set_a_checkpoint()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        Assert.Throws<ArgumentException>(() => store.Events.SetCheckpoint("c", [new EventMessage { Topic = "a", Payload = "x" }]));
        Assert.Throws<ArgumentException>(() => store.Events.SetCheckpoint("c", []));
    }

    [Fact]
    public void Consumer_names_are_not_in_the_database_files()
    {
        using var context = new StoreTestContext();
        using (var store = context.Create())
        {
            var sent = store.Events.Send(EventStoreTests.SampleEvents(10, Start, "a"));
            store.Events.SetCheckpoint("ledger-exporter-prod", sent);
        }

        foreach (var file in Directory.GetFiles(context.Root, "*.redb*"))
        {
            Assert.Equal(-1, File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes("ledger-exporter")));
        }
    }
}
