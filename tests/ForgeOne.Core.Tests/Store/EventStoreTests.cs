using System.Text;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Events;

namespace ForgeOne.Core.Tests.Store;

public sealed class EventStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Events_across_shards_come_back_in_timestamp_order_with_stable_paging()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(eventShards: 4);
        var written = store.Events.Send(SampleEvents(2000, Start, "orders/created"));

        var pages = new List<StorePage<EventMessage>> { store.Events.ReadPage(new EventQuery { Topic = "orders/created", PageSize = 300 }) };

        // Late events dated before the first page must not shift what follows it.
        store.Events.Send(SampleEvents(100, Start.AddMinutes(-5), "orders/created"));
        while (pages[^1].ContinuationToken is { } token)
        {
            pages.Add(store.Events.ReadPage(new EventQuery { Topic = "orders/created", PageSize = 300, After = token }));
        }

        var read = pages.SelectMany(page => page.Items).ToList();
        Assert.Equal(4, written.Select(message => message.Shard).Distinct().Count());
        Assert.Equal(2000, read.Count);
        Assert.Equal(read.Count, read.Select(message => message.Id).Distinct().Count());
        Assert.Equal(written.OrderBy(message => message.Timestamp).ThenBy(message => message.Id).Select(message => message.Id), read.Select(message => message.Id));
        Assert.All(pages.SkipLast(1), page => Assert.Equal(300, page.Items.Count));
    }

    [Fact]
    public void A_time_range_and_priority_select_exactly_the_matching_events()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var written = store.Events.Send(SampleEvents(1500, Start, topic: null));
        var from = Start.AddSeconds(10);
        var to = Start.AddSeconds(40);

        var read = store.Events.Read(new EventQuery { Topic = "orders/paid", From = from, To = to, MinimumPriority = EventPriority.High, PageSize = 25 }).ToList();

        var expected = written
            .Where(message => message.Topic == "orders/paid" && message.Timestamp >= from && message.Timestamp < to && message.Priority >= EventPriority.High)
            .OrderBy(message => message.Timestamp).ThenBy(message => message.Id).Select(message => message.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, read.Select(message => message.Id));
    }

    [Fact]
    public void Events_read_back_carry_their_fields()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var sent = store.Events.Send(new EventMessage
        {
            Topic = "users/signed-up",
            Payload = """{"user":"u-42","plan":"pro"}""",
            Priority = EventPriority.Critical,
            Timestamp = Start,
            CheckpointMarker = "batch-9",
            Subject = "u-42",
            SensitiveFields = ["email"],
            Metadata = new Dictionary<string, string> { ["email"] = "bob@example.com", ["source"] = "web" },
        });

        var read = Assert.Single(store.Events.Read(new EventQuery { Topic = "users/signed-up" }));

        Assert.NotEqual(0, sent.Id);
        Assert.Equal(sent.Id, read.Id);
        Assert.Equal("""{"user":"u-42","plan":"pro"}""", read.Payload);
        Assert.Equal(EventPriority.Critical, read.Priority);
        Assert.Equal(Start, read.Timestamp);
        Assert.Equal("batch-9", read.CheckpointMarker);
        Assert.Equal("u-42", read.Subject);
        Assert.Equal(["email"], read.SensitiveFields);
        Assert.Equal("bob@example.com", read.Metadata["email"]);
        Assert.Equal("web", read.Metadata["source"]);
    }

    [Fact]
    public void Topics_are_listed_with_their_counts_and_time_range_across_shards()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(eventShards: 3);
        var written = store.Events.Send(SampleEvents(900, Start, topic: null));
        using (var writer = store.Events.OpenWriter(batchSize: 50))
        {
            for (var index = 0; index < 120; index++)
            {
                writer.Add(new EventMessage { Topic = "audit/login", Payload = $"login {index}", Timestamp = Start.AddHours(1).AddSeconds(index) });
            }

            writer.Flush();
        }

        var topics = store.Events.ListTopics();

        Assert.Equal(["audit/login", "orders/created", "orders/paid", "orders/shipped"], topics.Select(topic => topic.Name));
        var paid = topics.Single(topic => topic.Name == "orders/paid");
        var expected = written.Where(message => message.Topic == "orders/paid").ToList();
        Assert.Equal(expected.Count, paid.Count);
        Assert.Equal(expected.Min(message => message.Timestamp), paid.FirstTimestamp);
        Assert.Equal(expected.Max(message => message.Timestamp), paid.LastTimestamp);
        var login = topics.Single(topic => topic.Name == "audit/login");
        Assert.Equal(120, login.Count);
        Assert.Equal(Start.AddHours(1), login.FirstTimestamp);
        Assert.Equal(Start.AddHours(1).AddSeconds(119), login.LastTimestamp);
    }

    [Fact]
    public void No_plaintext_of_an_event_payload_or_topic_is_in_the_database_files()
    {
        using var context = new StoreTestContext();
        const string Secret = "wire 250000 EUR to IBAN DE89370400440532013000 for carol@example.com";
        using (var store = context.Create(eventShards: 2))
        {
            store.Events.Send(SampleEvents(2000, Start, topic: null).Append(new EventMessage { Topic = "payments/wire", Payload = Secret }));
        }

        foreach (var file in Directory.GetFiles(context.Root, "*.redb*"))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("DE89370400440532013000")));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("payments/wire")));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("orders/created")));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("\"order\":")));
        }
    }

    [Fact]
    public void A_bad_topic_is_refused_with_the_field_named()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var error = Assert.Throws<StoreValidationException>(() => store.Events.Send(new EventMessage { Topic = "bad topic!", Payload = "x" }));
        Assert.Equal("Topic", error.Field);
        Assert.Contains("bad topic!", error.Message);
    }

    [Fact]
    public void An_oversize_payload_is_refused_with_the_field_named()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var error = Assert.Throws<StoreValidationException>(() =>
            store.Events.Send(new EventMessage { Topic = "a", Payload = new string('x', Validation.MaxMessageBytes + 1) }));
        Assert.Equal("Payload", error.Field);
        Assert.Empty(store.Events.Read(new EventQuery()));
        Assert.Equal("a", store.Events.Send(new EventMessage { Topic = "a", Payload = new string('x', Validation.MaxMessageBytes) }).Topic);
    }

    [Fact]
    public void An_undefined_priority_is_refused_with_the_field_named()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var error = Assert.Throws<StoreValidationException>(() =>
            store.Events.Send(new EventMessage { Topic = "a", Payload = "x", Priority = (EventPriority)9 }));
        Assert.Equal("Priority", error.Field);
    }

    [Fact]
    public void Sensitive_fields_without_a_subject_are_refused()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var error = Assert.Throws<StoreValidationException>(() => store.Events.Send(new EventMessage
        {
            Topic = "a",
            Payload = "x",
            SensitiveFields = ["email"],
            Metadata = new Dictionary<string, string> { ["email"] = "x@example.com" },
        }));
        Assert.Equal("SensitiveFields", error.Field);
    }

    internal static IEnumerable<EventMessage> SampleEvents(int count, DateTimeOffset start, string? topic)
    {
        var topics = new[] { "orders/created", "orders/paid", "orders/shipped" };
        for (var index = 0; index < count; index++)
        {
            yield return new EventMessage
            {
                Topic = topic ?? topics[index % topics.Length],
                Timestamp = start.AddMilliseconds(index * 41),
                Priority = (EventPriority)(index % 4),
                Payload = $$"""{"order":"o-{{index:D6}}","amount":{{index * 7 % 1000}}.{{index % 100:D2}},"currency":"EUR","customer":"c-{{index % 311}}"}""",
                Metadata = new Dictionary<string, string> { ["region"] = index % 2 == 0 ? "eu" : "us" },
            };
        }
    }
}
