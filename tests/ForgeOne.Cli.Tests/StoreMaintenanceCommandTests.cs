using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge store rotate-key</c>, <c>forge store retention show|set|run</c> and <c>forge store forget-subject</c>.</summary>
public sealed class StoreMaintenanceCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-store-care-");
    private readonly Dictionary<string, string?> _environment;

    public StoreMaintenanceCommandTests()
    {
        var key = _scratch["store.key"];
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(32));
        _environment = new Dictionary<string, string?> { ["FORGE_STORE"] = _scratch["store"], ["FORGE_STORE_KEYFILE"] = key };
        Run(["store", "init", "--log-shards", "2", "--event-shards", "2"]).Expect(0);
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Rotate_key_reseals_every_record_under_a_new_epoch_and_they_still_read()
    {
        Run(["log", "write", "--topic", "app/x"], Lines("entry", 200)).Expect(0);
        Run(["blob", "add", "b"], TestFiles.RandomBytes(100_000, 3)).Expect(0);

        var rotation = StoreCommandTests.Json(Run(["store", "rotate-key", "--json"]).Expect(0));
        var info = StoreCommandTests.Json(Run(["store", "info", "--json"]).Expect(0));

        Assert.Equal(2, rotation.GetProperty("epoch").GetInt32());
        Assert.True(rotation.GetProperty("completed").GetBoolean());
        // Rows, not entries: the 200 log entries are sealed in blocks, the blob in chunks.
        Assert.True(rotation.GetProperty("recordsResealed").GetInt64() >= 2);
        Assert.Equal(2, info.GetProperty("currentEpoch").GetInt32());
        Assert.All(info.GetProperty("databases").EnumerateArray(), database =>
            Assert.All(database.GetProperty("epochs").EnumerateArray(), epoch => Assert.Equal(2, epoch.GetInt32())));
        Assert.Equal(200, StoreCommandTests.Json(Run(["log", "query", "--json"]).Expect(0)).GetProperty("items").GetArrayLength());
        Assert.Equal(TestFiles.RandomBytes(100_000, 3), Run(["blob", "get", "b"]).Expect(0).OutputBytes);
    }

    [Fact]
    public void Retention_set_changes_only_the_kinds_given_and_show_says_who_set_it()
    {
        Run(["store", "retention", "set", "--logs", "30d", "--blobs", "1y"]).Expect(0);
        var json = StoreCommandTests.Json(Run(["store", "retention", "set", "--events", "2w", "--json"]).Expect(0));
        var show = Run(["store", "retention", "show"]).Expect(0);
        Run(["store", "retention", "set", "--blobs", "forever"]).Expect(0);
        var cleared = StoreCommandTests.Json(Run(["store", "retention", "show", "--json"]).Expect(0));

        Assert.Equal("30.00:00:00", json.GetProperty("logs").GetString());
        Assert.Equal("14.00:00:00", json.GetProperty("events").GetString());
        Assert.Equal("365.00:00:00", json.GetProperty("blobs").GetString());
        Assert.Contains("logs    30d", show.Output, StringComparison.Ordinal);
        Assert.Contains("(version 2, set by ", show.Output, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("blobs").ValueKind);
        Assert.Equal("30.00:00:00", cleared.GetProperty("logs").GetString());
    }

    [Theory]
    [InlineData("6m")]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("soon")]
    public void Retention_set_refuses_an_age_it_cannot_read_unambiguously(string age)
    {
        var result = Run(["store", "retention", "set", $"--logs={age}"]).Expect(ExitCodes.Usage);

        Assert.Contains("--logs", result.Error, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, StoreCommandTests.Json(Run(["store", "retention", "show", "--json"]).Expect(0)).GetProperty("logs").ValueKind);
    }

    [Fact]
    public void Retention_run_dry_run_lists_what_would_go_and_run_deletes_only_that()
    {
        var old = DateTimeOffset.UtcNow.AddDays(-10).ToString("O", CultureInfo.InvariantCulture);
        Run(["event", "send", "--topic", "t", "--timestamp", old], Lines("old", 40)).Expect(0);
        Run(["event", "send", "--topic", "t"], Lines("new", 5)).Expect(0);
        Run(["log", "write", "--topic", "t"], Lines("log", 5)).Expect(0);
        Run(["store", "retention", "set", "--events", "7d", "--logs", "7d"]).Expect(0);

        var plan = StoreCommandTests.Json(Run(["store", "retention", "run", "--dry-run", "--json"]).Expect(0));
        var afterPlan = StoreCommandTests.Json(Run(["event", "list", "--json"]).Expect(0)).GetProperty("items").GetArrayLength();
        var result = StoreCommandTests.Json(Run(["store", "retention", "run", "--json"]).Expect(0));
        var left = StoreCommandTests.Json(Run(["event", "list", "--json"]).Expect(0)).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("payload").GetString()!).ToList();

        Assert.Equal(40, plan.GetProperty("totalRecords").GetInt64());
        Assert.All(plan.GetProperty("databases").EnumerateArray(), item => Assert.Equal("events", item.GetProperty("kind").GetString()));
        Assert.Equal(45, afterPlan);
        Assert.Equal(40, result.GetProperty("totalDeleted").GetInt64());
        Assert.Equal(5, left.Count);
        Assert.All(left, payload => Assert.StartsWith("new", payload, StringComparison.Ordinal));
        Assert.Equal(5, StoreCommandTests.Json(Run(["log", "query", "--json"]).Expect(0)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Forget_subject_erases_the_sensitive_fields_of_that_subjects_events_only()
    {
        Run(["event", "send", "--topic", "users", "--payload", "signed up", "--subject", "alice", "--metadata", "email=alice@example.com", "--sensitive", "email"]).Expect(0);
        Run(["event", "send", "--topic", "users", "--payload", "signed up", "--subject", "bob", "--metadata", "email=bob@example.com", "--sensitive", "email"]).Expect(0);

        var first = StoreCommandTests.Json(Run(["store", "forget-subject", "alice", "--json"]).Expect(0));
        var second = StoreCommandTests.Json(Run(["store", "forget-subject", "alice", "--json"]).Expect(0));
        var events = StoreCommandTests.Json(Run(["event", "list", "--json"]).Expect(0)).GetProperty("items").EnumerateArray().ToList();

        Assert.True(first.GetProperty("keyRemoved").GetBoolean());
        Assert.False(second.GetProperty("keyRemoved").GetBoolean());
        var alice = Assert.Single(events, item => item.GetProperty("subjectErased").GetBoolean());
        Assert.False(alice.GetProperty("metadata").TryGetProperty("email", out _));
        Assert.Equal("signed up", alice.GetProperty("payload").GetString());
        var bob = Assert.Single(events, item => !item.GetProperty("subjectErased").GetBoolean());
        Assert.Equal("bob@example.com", bob.GetProperty("metadata").GetProperty("email").GetString());
    }

    private static byte[] Lines(string prefix, int count) =>
        Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, count).Select(i => $"{prefix} {i:D4}")) + "\n");

    private Forge.Result Run(string[] arguments, byte[]? stdin = null) => Forge.Run(arguments, stdin ?? [], environment: _environment);
}
