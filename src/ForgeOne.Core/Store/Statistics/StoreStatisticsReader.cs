using System.Globalization;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Events;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.Sqlite;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Store.Statistics;

/// <summary>Reads a store's statistics (<see cref="StoreStatistics"/>) from its database files.</summary>
/// <remarks>
/// <para>Counts and byte sums are exact at the moment each file is read; writers may add records meanwhile.</para>
/// <para>The plaintext size is estimated: per file, up to <see cref="SampleSize"/> sealed values (for log entries and
/// events, blocks of records) are chosen evenly by key
/// over its record tables (the same records every time while the file is unchanged), opened with the shard's
/// cipher, and the ratio of plaintext to sealed bytes of each table's sample is applied to that table. Tables with a
/// composite key (<c>settings</c>) are counted at their sealed size. Opening a sample checks its authentication tag,
/// so a damaged record fails the read with <see cref="RecordIntegrityException"/>.</para>
/// </remarks>
public static class StoreStatisticsReader
{
    /// <summary>Most records opened per database file for the plaintext estimate: 500.</summary>
    public const int SampleSize = 500;

    /// <summary>Reads the statistics of every database file of <paramref name="store"/>.</summary>
    /// <param name="store">The open store.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="StoreFormatException">A database file is missing or not this store's.</exception>
    /// <exception cref="RecordIntegrityException">A sampled record failed to open.</exception>
    /// <exception cref="KeyEpochMissingException">A sampled record is sealed under an epoch the store has no key for.</exception>
    public static StoreStatistics Read(ForgeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new StoreStatistics
        {
            Path = store.Path,
            Id = store.Id,
            Region = store.Region,
            Created = store.Created,
            CurrentEpoch = store.Keys.CurrentEpoch,
            LogShards = store.Layout.LogShards,
            BlobShards = store.Layout.BlobShards,
            EventShards = store.Layout.EventShards,
            Databases = [.. store.Layout.Databases.Select(database => ReadDatabase(store, database))],
        };
    }

    /// <summary>
    /// The query that counts the records of a file, as <see cref="StoreDatabaseStatistics.Records"/> reports them: for
    /// log entries and events the sum of the block counts in the index, since their values are blocks of many records.
    /// </summary>
    /// <param name="kind">The kind of database.</param>
    /// <returns>One SQL statement returning one integer.</returns>
    public static string RecordCountQuery(StoreDatabaseKind kind) => kind switch
    {
        StoreDatabaseKind.System => "SELECT (SELECT count(*) FROM snapshots) + (SELECT count(*) FROM metrics) + (SELECT count(*) FROM settings)",
        StoreDatabaseKind.Logs => LogCodec.Instance.RecordCountQuery,
        StoreDatabaseKind.Blobs => "SELECT count(*) FROM blob_metadata",
        StoreDatabaseKind.Events => EventCodec.Instance.RecordCountQuery,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
    };

    private static StoreDatabaseStatistics ReadDatabase(ForgeStore store, StoreDatabase database)
    {
        using var shard = store.OpenShard(database);
        var connection = shard.Connection;
        var records = (long)connection.Scalar(RecordCountQuery(database.Kind))!;

        var tables = StoreSchema.SealedTables(database.Kind)
            .Select(table => ReadTable(shard, table.Table, table.KeyColumn))
            .ToList();
        var totalRows = tables.Sum(table => table.Rows);
        long sealedBytes = 0;
        long plaintextBytes = 0;
        var sampled = 0;
        var epochs = new SortedSet<int>();
        foreach (var table in tables)
        {
            sealedBytes += table.SealedBytes;
            epochs.UnionWith(table.Epochs);
            var quota = totalRows == 0 ? 0 : (int)Math.Min(table.Rows, 1 + ((SampleSize - 4) * table.Rows / totalRows));

            // Blocks hold many records: the quota counts records, and as many blocks are opened as hold about that many.
            var recordQuota = quota;
            if (IsBlockTable(database.Kind, table.Table) && records > 0)
            {
                recordQuota = (int)Math.Min(records, 1 + ((SampleSize - 4) * table.Rows / totalRows));
                quota = (int)Math.Max(1, recordQuota * table.Rows / records);
            }

            var (count, samplePlaintext, sampleSealed) = Sample(shard, table, quota, recordQuota);
            sampled += count;
            plaintextBytes += sampleSealed == 0
                ? table.SealedBytes
                : (long)Math.Round(table.SealedBytes * ((double)samplePlaintext / sampleSealed));
        }

        return new StoreDatabaseStatistics
        {
            Name = database.FileName,
            Kind = database.Kind,
            Shard = database.Shard,
            Records = records,
            FileBytes = FileLength(store.Layout.PathOf(database)) + FileLength(store.Layout.PathOf(database) + "-wal"),
            SealedBytes = sealedBytes,
            EstimatedPlaintextBytes = plaintextBytes,
            CompressionRatio = sealedBytes == 0 ? 0 : (double)plaintextBytes / sealedBytes,
            SampledRecords = sampled,
            Epochs = [.. epochs],
            HasDictionary = shard.Cipher.HasDictionary,
        };
    }

    private static TableSummary ReadTable(StoreShard shard, string table, string keyColumn)
    {
        using var command = shard.Connection.CreateCommand();
        command.CommandText = $"SELECT count(*), coalesce(sum(length(value)), 0) FROM {table}";
        long rows;
        long sealedBytes;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            rows = reader.GetInt64(0);
            sealedBytes = reader.GetInt64(1);
        }

        command.CommandText = $"SELECT DISTINCT epoch FROM {table}";
        var epochs = new List<int>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                epochs.Add(reader.GetInt32(0));
            }
        }

        return new TableSummary(table, keyColumn, rows, sealedBytes, epochs);
    }

    private static (int Count, long Plaintext, long Sealed) Sample(StoreShard shard, TableSummary table, int quota, int recordQuota)
    {
        // A composite key (settings: key, version) has no single key to bind into the associated data here.
        if (quota == 0 || table.KeyColumn.Contains(',', StringComparison.Ordinal))
        {
            return (0, 0, 0);
        }

        // Keys alone come from the table's b-tree cheaply; every step-th is taken so the sample spans old and new records.
        var keys = new List<object>();
        var step = Math.Max(1, table.Rows / quota);
        using (var command = shard.Connection.CreateCommand())
        {
            command.CommandText = $"SELECT {table.KeyColumn} FROM {table.Table} ORDER BY {table.KeyColumn}";
            using var reader = command.ExecuteReader();
            for (long index = 0; reader.Read() && keys.Count < quota; index++)
            {
                if (index % step == 0)
                {
                    keys.Add(reader.GetValue(0));
                }
            }
        }

        long plaintext = 0;
        long sealedBytes = 0;
        using var select = shard.Connection.CreateCommand();
        select.CommandText = $"SELECT value FROM {table.Table} WHERE {table.KeyColumn} = $key";
        var parameter = select.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Blob);
        var count = 0;
        foreach (var key in keys)
        {
            parameter.Value = key;
            if (select.ExecuteScalar() is not byte[] value)
            {
                continue;
            }

            var (keyBytes, describe) = key switch
            {
                long id => ((byte[] Key, string Describe))(RecordFormat.Key(id), id.ToString(CultureInfo.InvariantCulture)),
                string text => (RecordFormat.Key(text), text),
                byte[] bytes => (bytes, ObjectNames.ToHex(bytes)),
                _ => throw new InvalidOperationException($"{table.Table} has a key of type {key.GetType().Name}."),
            };
            // A log or event value is a block of records; the sample counts the records it opened.
            var opened = shard.Cipher.Open(table.Table, keyBytes, value, describe);
            var held = 1;
            if (key is long blockKey && IsBlockTable(shard.Database.Kind, table.Table))
            {
                try
                {
                    held = RecordBlock.Decode(blockKey, opened).Count;
                }
                catch (InvalidDataException ex)
                {
                    throw new RecordIntegrityException(shard.Database.FileName, table.Table, describe, ex.Message, ex);
                }
            }

            if (count > 0 && count + held > recordQuota)
            {
                break;
            }

            plaintext += opened.Length;
            sealedBytes += value.Length;
            count += held;
        }

        return (count, plaintext, sealedBytes);
    }

    private static bool IsBlockTable(StoreDatabaseKind kind, string table) =>
        (kind == StoreDatabaseKind.Logs && table == "logs") || (kind == StoreDatabaseKind.Events && table == "events");

    private static long FileLength(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private sealed record TableSummary(string Table, string KeyColumn, long Rows, long SealedBytes, IReadOnlyList<int> Epochs);
}
