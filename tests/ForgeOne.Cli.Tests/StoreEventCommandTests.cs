using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge event send|list|topics|checkpoint</c>.</summary>
public sealed class StoreEventCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-event-");
    private readonly Dictionary<string, string?> _environment;

    public StoreEventCommandTests()
    {
        var key = _scratch["store.key"];
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(32));
        _environment = new Dictionary<string, string?> { ["FORGE_STORE"] = _scratch["store"], ["FORGE_STORE_KEYFILE"] = key };
        Run(["store", "init", "--event-shards", "3"]).Expect(0);
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Lines_become_events_that_list_returns_in_timestamp_order_as_json()
    {
        var send = Run(["event", "send", "--topic", "orders/created", "--priority", "high", "--metadata", "region=eu"], Lines("order", 300)).Expect(0);

        var json = StoreCommandTests.Json(Run(["event", "list", "--topic", "orders/created", "--json"]).Expect(0));

        Assert.Equal("sent 300 events", send.Output.Trim());
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(300, items.Count);
        var times = items.Select(item => item.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"order {i:D4}").Order(StringComparer.Ordinal),
            items.Select(item => item.GetProperty("payload").GetString()).Order(StringComparer.Ordinal));
        Assert.All(items, item =>
        {
            Assert.Equal("high", item.GetProperty("priority").GetString());
            Assert.Equal("eu", item.GetProperty("metadata").GetProperty("region").GetString());
        });
        Assert.Equal(3, items.Select(item => item.GetProperty("shard").GetInt32()).Distinct().Count());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public void Events_sent_apart_come_back_in_the_order_of_their_timestamps_across_topics()
    {
        foreach (var (topic, payload) in new[] { ("b/topic", "first"), ("a/topic", "second"), ("c/topic", "third") })
        {
            Run(["event", "send", "--topic", topic, "--payload", payload]).Expect(0);
        }

        var text = Run(["event", "list"]).Expect(0);

        var lines = text.Output.TrimEnd().Split('\n');
        Assert.Equal(["first", "second", "third"], lines.Select(line => line.Split("  ")[^1]));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z  Normal    b/topic  first$", lines[0]);
    }

    [Fact]
    public void Min_priority_and_limit_with_after_page_through_the_matching_events()
    {
        Run(["event", "send", "--topic", "t", "--priority", "low"], Lines("low", 20)).Expect(0);
        Run(["event", "send", "--topic", "t", "--priority", "critical"], Lines("critical", 30)).Expect(0);

        var first = StoreCommandTests.Json(Run(["event", "list", "--min-priority", "high", "--limit", "20", "--json"]).Expect(0));
        var second = StoreCommandTests.Json(Run(["event", "list", "--min-priority", "high", "--after", first.GetProperty("continuationToken").GetString()!, "--json"]).Expect(0));

        var payloads = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(item => item.GetProperty("payload").GetString()!).ToList();
        Assert.Equal(30, payloads.Count);
        Assert.Equal(30, payloads.Distinct().Count());
        Assert.All(payloads, payload => Assert.StartsWith("critical", payload, StringComparison.Ordinal));
    }

    [Fact]
    public void A_consumer_with_commit_reads_each_event_once()
    {
        Run(["event", "send", "--topic", "jobs"], Lines("a", 10)).Expect(0);

        var firstPage = Payloads(Run(["event", "list", "--after-checkpoint", "worker", "--limit", "4", "--commit", "--json"]).Expect(0));
        var rest = Payloads(Run(["event", "list", "--after-checkpoint", "worker", "--commit", "--json"]).Expect(0));
        var nothing = Payloads(Run(["event", "list", "--after-checkpoint", "worker", "--commit", "--json"]).Expect(0));
        Run(["event", "send", "--topic", "jobs"], Lines("b", 3)).Expect(0);
        var later = Payloads(Run(["event", "list", "--after-checkpoint", "worker", "--json"]).Expect(0));
        var peekAgain = Payloads(Run(["event", "list", "--after-checkpoint", "worker", "--json"]).Expect(0));

        Assert.Equal(4, firstPage.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"a {i:D4}").Order(StringComparer.Ordinal), firstPage.Concat(rest).Order(StringComparer.Ordinal));
        Assert.Empty(nothing);
        Assert.Equal(["b 0000", "b 0001", "b 0002"], later.Order(StringComparer.Ordinal));
        Assert.Equal(later, peekAgain);
    }

    [Fact]
    public void Checkpoint_shows_the_positions_and_reset_starts_the_consumer_over()
    {
        Run(["event", "send", "--topic", "jobs"], Lines("a", 6)).Expect(0);
        Run(["event", "checkpoint", "--consumer", "worker"]).Expect(ExitCodes.Failure);
        Run(["event", "list", "--after-checkpoint", "worker", "--commit"]).Expect(0);

        var checkpoint = StoreCommandTests.Json(Run(["event", "checkpoint", "--consumer", "worker", "--json"]).Expect(0));
        Run(["event", "checkpoint", "--consumer", "worker", "--reset"]).Expect(0);
        var again = Payloads(Run(["event", "list", "--after-checkpoint", "worker", "--json"]).Expect(0));

        Assert.Equal("worker", checkpoint.GetProperty("consumer").GetString());
        Assert.NotEmpty(checkpoint.GetProperty("positions").EnumerateObject());
        Assert.Equal(6, again.Count);
    }

    [Fact]
    public void Topics_counts_the_events_of_each_topic()
    {
        Run(["event", "send", "--topic", "x"], Lines("x", 5)).Expect(0);
        Run(["event", "send", "--topic", "y", "--payload", "one"]).Expect(0);

        var topics = StoreCommandTests.Json(Run(["event", "topics", "--json"]).Expect(0)).EnumerateArray().ToList();

        Assert.Equal(["x", "y"], topics.Select(topic => topic.GetProperty("name").GetString()));
        Assert.Equal([5L, 1L], topics.Select(topic => topic.GetProperty("count").GetInt64()));
    }

    [Fact]
    public void Commit_without_a_consumer_and_a_bad_topic_are_usage_errors()
    {
        Run(["event", "list", "--commit"]).Expect(ExitCodes.Usage);
        var result = Run(["event", "send", "--topic", "bad topic", "--payload", "p"]).Expect(ExitCodes.Usage);

        Assert.StartsWith("forge: Topic:", result.Error, StringComparison.Ordinal);
    }

    private static byte[] Lines(string prefix, int count) =>
        Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, count).Select(i => $"{prefix} {i:D4}")) + "\n");

    private static List<string> Payloads(Forge.Result result) =>
        [.. StoreCommandTests.Json(result).GetProperty("items").EnumerateArray().Select(item => item.GetProperty("payload").GetString()!)];

    private Forge.Result Run(string[] arguments, byte[]? stdin = null) => Forge.Run(arguments, stdin ?? [], environment: _environment);
}
