using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ForgeOne.Core.Tests.Store;

public sealed class LogStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_writer_returns_what_it_wrote_with_content_hashes_unless_opened_to_return_nothing()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 2);

        using (var returning = store.Logs.OpenWriter(batchSize: 100))
        {
            var written = returning.AddAllAndFlush(StoreTestContext.SampleLogs(250, Start, topic: "app/auth"));
            Assert.Equal(250, written.Count);
            Assert.All(written, entry => Assert.Equal(ObjectNames.ToHex(Blake3.Hash(Encoding.UTF8.GetBytes(entry.Message))), entry.ContentHash));
        }

        using (var silent = store.Logs.OpenWriter(batchSize: 100, returnWritten: false))
        {
            Assert.Empty(silent.AddAllAndFlush(StoreTestContext.SampleLogs(250, Start.AddHours(1), topic: "app/billing")));
            Assert.Equal(250, silent.Written);
        }

        var billing = store.Logs.Read(new LogQuery { Topic = "app/billing" }).ToList();
        Assert.Equal(250, billing.Count);
        Assert.All(billing, entry => Assert.Equal(ObjectNames.ToHex(Blake3.Hash(Encoding.UTF8.GetBytes(entry.Message))), entry.ContentHash));
    }

    [Fact]
    public void An_entry_is_equal_to_its_copy_whether_or_not_its_content_hash_was_computed()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);
        var written = Assert.Single(store.Logs.Write([new LogEntry { Topic = "app/auth", Message = "login failed", Timestamp = Start }]));
        var first = Assert.Single(store.Logs.Read(new LogQuery()));
        var copy = first with { };

        // The hash is computed (and cached) on one of two equal entries only.
        Assert.Equal(ObjectNames.ToHex(Blake3.Hash("login failed"u8)), first.ContentHash);
        Assert.Equal(first, copy);
        Assert.Equal(first.GetHashCode(), copy.GetHashCode());
        Assert.Equal(written.ContentHash, first.ContentHash);
        Assert.Equal(first.ContentHash, Assert.Single(store.Logs.Read(new LogQuery())).ContentHash);

        // A hash given explicitly is kept as given; an entry built by hand has none.
        Assert.Equal("given", (first with { ContentHash = "given" }).ContentHash);
        Assert.Null(new LogEntry { Topic = "app/auth", Message = "x" }.ContentHash);
    }

    [Fact]
    public void Entries_written_across_shards_come_back_in_timestamp_order()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 4);
        var written = store.Logs.Write(StoreTestContext.SampleLogs(5000, Start, topic: "app/auth"));

        Assert.Equal(5000, written.Count);
        Assert.Equal(4, written.Select(entry => entry.Shard).Distinct().Count());
        var read = store.Logs.Read(new LogQuery { Topic = "app/auth", PageSize = 700 }).ToList();
        Assert.Equal(5000, read.Count);
        Assert.True(read.Zip(read.Skip(1)).All(pair => pair.First.Timestamp <= pair.Second.Timestamp));
        Assert.Equal(
            written.OrderBy(entry => entry.Timestamp).Select(entry => entry.Message),
            read.Select(entry => entry.Message));
    }

    [Fact]
    public void A_time_range_and_severity_select_exactly_the_matching_entries()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var written = store.Logs.Write(StoreTestContext.SampleLogs(3000, Start));
        var from = Start.AddSeconds(20);
        var to = Start.AddSeconds(60);

        var read = store.Logs.Read(new LogQuery { Topic = "app/billing", From = from, To = to, MinimumSeverity = LogSeverity.Error, PageSize = 50 }).ToList();

        var expected = written
            .Where(entry => entry.Topic == "app/billing" && entry.Timestamp >= from && entry.Timestamp < to && entry.Severity >= LogSeverity.Error)
            .OrderBy(entry => entry.Timestamp).Select(entry => entry.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, read.Select(entry => entry.Id));
    }

    [Fact]
    public void Paging_is_stable_when_entries_arrive_between_pages()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        store.Logs.Write(StoreTestContext.SampleLogs(1000, Start, topic: "app/auth"));

        var first = store.Logs.ReadPage(new LogQuery { Topic = "app/auth", PageSize = 300 });
        store.Logs.Write(StoreTestContext.SampleLogs(200, Start.AddMinutes(-5), topic: "app/auth"));
        var rest = store.Logs.Read(new LogQuery { Topic = "app/auth", PageSize = 300, After = first.ContinuationToken }).ToList();

        // Late entries dated before the first page do not shift what follows it: no entry repeats or goes missing.
        Assert.Equal(300, first.Items.Count);
        Assert.Empty(first.Items.Select(entry => entry.Id).Intersect(rest.Select(entry => entry.Id)));
        Assert.Equal(700, rest.Count);
    }

    [Fact]
    public void Entries_read_back_carry_their_fields_and_content_hash()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var entry = new LogEntry
        {
            Topic = "app/auth",
            Message = "login ok",
            Severity = LogSeverity.Warning,
            Timestamp = Start,
            CheckpointMarker = "batch-7",
            Metadata = new Dictionary<string, string> { ["ip"] = "10.0.0.1" },
        };
        store.Logs.Write([entry]);

        var read = Assert.Single(store.Logs.Read(new LogQuery { Topic = "app/auth" }));
        Assert.Equal("login ok", read.Message);
        Assert.Equal(LogSeverity.Warning, read.Severity);
        Assert.Equal(Start, read.Timestamp);
        Assert.Equal("batch-7", read.CheckpointMarker);
        Assert.Equal("10.0.0.1", read.Metadata["ip"]);
        var messageFile = Path.Join(context.TempPath, "message.txt");
        File.WriteAllText(messageFile, "login ok");
        Assert.Equal(B3sum.HashHex(messageFile), read.ContentHash);
    }

    [Fact]
    public void No_plaintext_of_a_message_is_in_the_database_files()
    {
        using var context = new StoreTestContext();
        const string Secret = "card 4111-1111-1111-1111 approved for alice@example.com";
        using (var store = context.Create(logShards: 2))
        {
            store.Logs.Write(StoreTestContext.SampleLogs(2000, Start).Append(new LogEntry { Topic = "app/payments", Message = Secret }));
        }

        foreach (var file in Directory.GetFiles(context.Root, "*.redb*"))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("4111-1111")));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("app/payments")));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("/api/v2/orders")));
        }
    }

    [Fact]
    public void A_shard_trains_a_dictionary_and_entries_written_a_few_at_a_time_shrink()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(logShards: 1);

        // Batches of 8 over 4 topics make blocks of about 2 entries, which compress poorly without a dictionary.
        List<LogEntry> WriteSlowly(DateTimeOffset start)
        {
            using var writer = store.Logs.OpenWriter(batchSize: 8);
            var written = StoreTestContext.SampleLogs(1000, start).SelectMany(writer.Add).ToList();
            written.AddRange(writer.Flush());
            return written;
        }

        WriteSlowly(Start);
        var second = WriteSlowly(Start.AddHours(1));

        // Sealed bytes per entry: the values (blocks) over the index rows, before and after the dictionary.
        using var shard = store.OpenShard(new StoreDatabase(StoreDatabaseKind.Logs, 0));
        Assert.True(shard.Cipher.HasDictionary);
        var firstOfSecond = second.Min(entry => entry.Id);
        double BytesPerEntry(string where) =>
            (long)shard.Connection.Scalar($"SELECT sum(length(value)) FROM logs WHERE {where}")!
            / (double)(long)shard.Connection.Scalar($"SELECT sum(count) FROM log_index WHERE {where}")!;
        var before = BytesPerEntry($"id < {firstOfSecond}");
        var after = BytesPerEntry($"id >= {firstOfSecond}");
        Assert.True(after < before * 0.75, $"a sealed entry takes {before} bytes without a dictionary and {after} with one");
    }

    [Theory]
    [InlineData("", "Topic")]
    [InlineData("bad topic!", "Topic")]
    public void Bad_topics_are_refused_with_the_field_named(string topic, string field)
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var error = Assert.Throws<StoreValidationException>(() => store.Logs.Write([new LogEntry { Topic = topic, Message = "x" }]));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Timestamps_far_in_the_future_are_refused()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var error = Assert.Throws<StoreValidationException>(() =>
            store.Logs.Write([new LogEntry { Topic = "a", Message = "x", Timestamp = DateTimeOffset.UtcNow.AddDays(3) }]));
        Assert.Equal("Timestamp", error.Field);
    }

    [Fact]
    public void Every_file_passes_sqlite_integrity_check()
    {
        using var context = new StoreTestContext();
        using (var store = context.Create())
        {
            store.Logs.Write(StoreTestContext.SampleLogs(2000, Start));
        }

        foreach (var file in Directory.GetFiles(context.Root, "*.redb"))
        {
            using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", command.ExecuteScalar());
        }
    }
}
