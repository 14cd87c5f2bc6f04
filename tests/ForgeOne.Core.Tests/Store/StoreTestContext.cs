using ForgeOne.Core.Repository;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.TimeSeries;
using ForgeOne.Core.Tests.Repository;
using ForgeOne.Core.Tests.Storage;

namespace ForgeOne.Core.Tests.Store;

/// <summary>A real store in a fresh temporary folder, with cheap Argon2 so tests run fast.</summary>
internal sealed class StoreTestContext : IDisposable
{
    private readonly TestFolder _folder = new();

    public StoreTestContext()
    {
        Root = Path.Join(_folder.Path, "store");
    }

    public string Root { get; }

    public string TempPath => _folder.Path;

    public static RepositoryCredentials Credentials() => RepositoryTestContext.PassphraseCredentials();

    public ForgeStore Create(int logShards = 4, int blobShards = 2, int eventShards = 2, string region = "eu-west-1")
    {
        using var credentials = Credentials();
        return ForgeStore.Create(Root, credentials, new StoreCreateOptions
        {
            LogShards = logShards,
            BlobShards = blobShards,
            EventShards = eventShards,
            Region = region,
            Argon2 = RepositoryTestContext.FastArgon2,
        });
    }

    public ForgeStore Open()
    {
        using var credentials = Credentials();
        return ForgeStore.Open(Root, credentials);
    }

    /// <summary>Log entries with realistic ~200-byte messages spread over a few topics and an hour.</summary>
    public static IEnumerable<LogEntry> SampleLogs(int count, DateTimeOffset start, string? topic = null)
    {
        var topics = new[] { "app/auth", "app/billing", "infra/disk", "app/search" };
        for (var index = 0; index < count; index++)
        {
            var entryTopic = topic ?? topics[index % topics.Length];
            yield return new LogEntry
            {
                Topic = entryTopic,
                Timestamp = start.AddMilliseconds(index * 37),
                Severity = (LogSeverity)(index % 6),
                Message = $"request {index:D8} from 10.0.{index % 250}.{index % 13} user=u{index % 977} path=/api/v2/orders/{index * 7919 % 100000} status={(index % 17 == 0 ? 500 : 200)} latency_ms={index % 1000} trace=4bf92f3577b34da6a3ce929d0e0e{index:x4}",
                Metadata = new Dictionary<string, string> { ["service"] = entryTopic.Split('/')[1], ["node"] = $"node-{index % 5}" },
            };
        }
    }

    /// <summary>The ids of every record held in the blocks of a time-series table, in id order.</summary>
    public static List<long> BlockRecordIds(StoreShard shard, string table) =>
        [.. Blocks(shard, table).SelectMany(block => Enumerable.Range(0, block.Count).Select(block.IdAt))];

    /// <summary>Every block of a time-series table, opened, in key order.</summary>
    public static List<RecordBlock> Blocks(StoreShard shard, string table)
    {
        using var command = shard.Connection.CreateCommand();
        command.CommandText = $"SELECT id, value FROM {table} ORDER BY id";
        using var reader = command.ExecuteReader();
        var blocks = new List<RecordBlock>();
        while (reader.Read())
        {
            blocks.Add(RecordBlock.Open(shard, table, reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return blocks;
    }

    /// <summary>
    /// Checks that a time-series index table has exactly one row per block of its value table, holding the block's
    /// first and last timestamp and id and its count.
    /// </summary>
    public static void AssertIndexDescribesBlocks(StoreShard shard, string valueTable, string indexTable)
    {
        var expected = Blocks(shard, valueTable)
            .Select(block => (block.TimestampAt(0), block.Key, block.TimestampAt(block.Count - 1), block.LastId, (long)block.Count))
            .ToList();
        using var command = shard.Connection.CreateCommand();
        command.CommandText = $"SELECT timestamp, id, last_timestamp, last_id, count FROM {indexTable} ORDER BY id";
        using var reader = command.ExecuteReader();
        var actual = new List<(long, long, long, long, long)>();
        while (reader.Read())
        {
            actual.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        Xunit.Assert.Equal(expected, actual);
    }

    public void Dispose() => _folder.Dispose();
}
