using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge log write|query</c>.</summary>
public sealed class StoreLogCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-log-");
    private readonly Dictionary<string, string?> _environment;

    public StoreLogCommandTests()
    {
        var key = _scratch["store.key"];
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(32));
        _environment = new Dictionary<string, string?> { ["FORGE_STORE"] = _scratch["store"], ["FORGE_STORE_KEYFILE"] = key };
        Run(["store", "init", "--log-shards", "3"]).Expect(0);
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Lines_of_standard_input_become_entries_that_query_returns_as_json()
    {
        var lines = string.Join('\n', Enumerable.Range(1, 500).Select(i => $"line {i}")) + "\n";

        var write = Run(["log", "write", "--topic", "app/x", "--severity", "warning", "--metadata", "host=web1"], Encoding.UTF8.GetBytes(lines)).Expect(0);
        var json = StoreCommandTests.Json(Run(["log", "query", "--topic", "app/x", "--json"]).Expect(0));

        Assert.Equal("wrote 500 log entries", write.Output.Trim());
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(500, items.Count);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => $"line {i}").Order(StringComparer.Ordinal),
            items.Select(item => item.GetProperty("message").GetString()).Order(StringComparer.Ordinal));
        Assert.All(items, item =>
        {
            Assert.Equal("app/x", item.GetProperty("topic").GetString());
            Assert.Equal("warning", item.GetProperty("severity").GetString());
            Assert.Equal("web1", item.GetProperty("metadata").GetProperty("host").GetString());
            Assert.NotEqual(0, item.GetProperty("id").GetInt64());
        });
        var times = items.Select(item => item.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public void A_single_message_is_written_and_printed_as_text()
    {
        Run(["log", "write", "--topic", "app/auth", "--message", "login failed", "--severity", "error"]).Expect(0);

        var query = Run(["log", "query", "--topic", "app/auth", "--min-severity", "warning"]).Expect(0);

        var line = Assert.Single(query.Output.TrimEnd().Split('\n'));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z  Error +  app/auth  login failed$", line);
    }

    [Fact]
    public void Limit_and_after_page_through_every_entry_once()
    {
        Run(["log", "write", "--topic", "app/p"], Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 120).Select(i => $"m{i:D3}")))).Expect(0);

        var first = StoreCommandTests.Json(Run(["log", "query", "--topic", "app/p", "--limit", "50", "--json"]).Expect(0));
        var token = first.GetProperty("continuationToken").GetString()!;
        var second = StoreCommandTests.Json(Run(["log", "query", "--topic", "app/p", "--after", token, "--json"]).Expect(0));

        var messages = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(item => item.GetProperty("message").GetString()).ToList();
        Assert.Equal(50, first.GetProperty("items").GetArrayLength());
        Assert.Equal(120, messages.Count);
        Assert.Equal(120, messages.Distinct().Count());
    }

    [Fact]
    public void Text_query_with_a_limit_says_how_to_continue_on_stderr()
    {
        Run(["log", "write", "--topic", "app/p"], Encoding.UTF8.GetBytes("a\nb\nc\n")).Expect(0);

        var result = Run(["log", "query", "--limit", "2"]).Expect(0);

        Assert.Equal(2, result.Output.TrimEnd().Split('\n').Length);
        Assert.Contains("--after ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_number_and_the_rest_are_written()
    {
        var huge = new string('x', 70 * 1024);

        var result = Run(["log", "write", "--topic", "app/x"], Encoding.UTF8.GetBytes($"ok 1\n{huge}\nok 2\n")).Expect(ExitCodes.Usage);

        Assert.Contains("line 2: Message:", result.Error, StringComparison.Ordinal);
        Assert.Equal("wrote 2 log entries", result.Output.Trim());
        var json = StoreCommandTests.Json(Run(["log", "query", "--json"]).Expect(0));
        Assert.Equal(2, json.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void A_malformed_topic_is_a_usage_error_naming_the_field()
    {
        var result = Run(["log", "write", "--topic", "bad topic!", "--message", "m"]).Expect(ExitCodes.Usage);

        Assert.StartsWith("forge: Topic:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_needs_a_topic()
    {
        Run(["log", "write", "--message", "m"]).Expect(ExitCodes.Usage);
    }

    private Forge.Result Run(string[] arguments, byte[]? stdin = null) => Forge.Run(arguments, stdin ?? [], environment: _environment);
}
