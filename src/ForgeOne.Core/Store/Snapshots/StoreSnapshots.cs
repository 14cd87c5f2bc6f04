using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Snapshots;

/// <summary>
/// Takes, lists and verifies point-in-time snapshots of a store's databases. Snapshots live under the store's
/// <c>snapshots/&lt;id&gt;/</c> folder and are recorded in <c>system.redb</c>'s <c>snapshots</c> table.
/// </summary>
/// <remarks>
/// <para>A copy is made with SQLite's <c>VACUUM INTO</c>, which reads the database inside one read transaction:
/// with WAL, writers carry on while it runs and the copy is exactly the database at the transaction's start.
/// The copy is written under a <c>.partial</c> name, switched to the self-contained rollback journal mode,
/// checked (<c>PRAGMA integrity_check</c>, logical DNA) and only then renamed; a killed snapshot leaves only a
/// <c>.partial</c> file that nothing reads.</para>
/// </remarks>
public sealed class StoreSnapshots
{
    private const string PartialSuffix = ".partial";

    private readonly ForgeStore _store;

    internal StoreSnapshots(ForgeStore store) => _store = store;

    /// <summary>Snapshots the databases <paramref name="selector"/> names and records them.</summary>
    /// <param name="selector"><c>All</c>, a kind (<c>system</c>, <c>logs</c>, <c>blobs</c>, <c>events</c>) or a file name.</param>
    /// <param name="progress">Receives the database being copied; null for none.</param>
    /// <param name="cancellationToken">Stops between databases and while hashing.</param>
    /// <returns>The snapshots, one per database, sharing one id.</returns>
    /// <exception cref="ArgumentException">The selector names no database of this store.</exception>
    public IReadOnlyList<StoreSnapshot> Create(string selector = "All", IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var databases = _store.Layout.Select(selector);
        var time = DateTimeOffset.UtcNow;
        var id = string.Create(CultureInfo.InvariantCulture, $"{time:yyyyMMdd'T'HHmmss'Z'}-{ObjectNames.ToHex(RandomNumberGenerator.GetBytes(2))}");
        var directory = System.IO.Path.Combine(_store.Layout.SnapshotDirectory, id);
        var snapshots = CopyAll(databases, directory, id, time, progress, cancellationToken);
        Record(snapshots);
        _store.TryAudit(new AuditEvent
        {
            Operation = AuditOperations.SnapshotCreate,
            Target = "store " + _store.Id,
            Parameters = snapshots.ToDictionary(snapshot => snapshot.Database, snapshot => snapshot.LogicalDna),
            RelatedIds = [id],
        });
        return snapshots;
    }

    /// <summary>Every recorded snapshot, oldest first.</summary>
    /// <returns>The snapshots.</returns>
    public IReadOnlyList<StoreSnapshot> List()
    {
        using var system = _store.OpenShard(StoreDatabase.System);
        using var command = system.Connection.CreateCommand();
        command.CommandText = "SELECT id, value FROM snapshots ORDER BY id";
        using var reader = command.ExecuteReader();
        var snapshots = new List<StoreSnapshot>();
        while (reader.Read())
        {
            var key = reader.GetString(0);
            var json = system.Cipher.Open("snapshots", RecordFormat.Key(key), (byte[])reader.GetValue(1), key);
            snapshots.Add(JsonSerializer.Deserialize(json, StoreSnapshotJson.Default.StoreSnapshot)
                ?? throw new RecordIntegrityException("system.redb", "snapshots", key, "it holds no snapshot"));
        }

        return snapshots;
    }

    /// <summary>The recorded snapshots of one set (or of its one database).</summary>
    /// <param name="id">The set's id, or a unique prefix of it.</param>
    /// <param name="database">A file name to pick one database of the set; null for all.</param>
    /// <returns>The snapshots.</returns>
    /// <exception cref="StoreSnapshotNotFoundException">No set has that id, or the prefix fits several.</exception>
    public IReadOnlyList<StoreSnapshot> Find(string id, string? database = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var all = List();
        var ids = all.Select(snapshot => snapshot.Id).Where(candidate => candidate.StartsWith(id, StringComparison.Ordinal)).Distinct().ToList();
        if (ids.Count != 1)
        {
            throw new StoreSnapshotNotFoundException(id, ids.Count);
        }

        var found = all.Where(snapshot => snapshot.Id == ids[0]
            && (database is null || string.Equals(snapshot.Database, StoreDatabase.Parse(database).FileName, StringComparison.Ordinal))).ToList();
        return found.Count > 0 ? found : throw new StoreSnapshotNotFoundException(id + "/" + database, 0);
    }

    /// <summary>Checks a snapshot: integrity check and logical DNA against the recorded value.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Stops while hashing.</param>
    /// <returns>The result; a damaged or missing file is a failed result, not an exception.</returns>
    public StoreSnapshotVerification Verify(StoreSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var (actual, problems, elapsed) = Check(snapshot.Path, StoreDatabase.Parse(snapshot.Database), snapshot.LogicalDna, cancellationToken);
        return new StoreSnapshotVerification
        {
            Id = snapshot.Id,
            Database = snapshot.Database,
            Path = snapshot.Path,
            ExpectedDna = snapshot.LogicalDna,
            ActualDna = actual,
            Problems = problems,
            Duration = elapsed,
        };
    }

    /// <summary>
    /// Checks a database file against an expected DNA: that it is this store's database of that name, that SQLite
    /// finds it intact, and that its logical DNA matches.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="database">Which database it should be.</param>
    /// <param name="expectedDna">The DNA it should have.</param>
    /// <param name="cancellationToken">Stops while hashing.</param>
    /// <returns>The DNA found (null if unreadable), the problems, and how long it took.</returns>
    internal (string? Actual, IReadOnlyList<string> Problems, TimeSpan Elapsed) Check(string path, StoreDatabase database, string expectedDna, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        string? actual = null;
        if (!File.Exists(path))
        {
            problems.Add($"{path} is missing.");
            return (null, problems, clock.Elapsed);
        }

        try
        {
            using var connection = StoreConnection.OpenReadOnly(path);
            ForgeStore.CheckIdentity(connection, path, database, _store.Id);
            problems.AddRange(connection.IntegrityCheck().Select(line => "integrity_check: " + line));
            using var shard = new StoreShard(database, connection, _store.Keys);
            actual = LogicalDna.Compute(shard, cancellationToken);
            if (actual != expectedDna)
            {
                problems.Add($"logical DNA is {actual}, but {expectedDna} was recorded: the content differs from what was snapshotted.");
            }
        }
        catch (Exception ex) when (ex is ForgeException or SqliteException or InvalidDataException)
        {
            problems.Add(ex.Message);
        }

        return (actual, problems, clock.Elapsed);
    }

    /// <summary>Copies databases into <paramref name="directory"/> without recording them (backups stage their copies so).</summary>
    internal IReadOnlyList<StoreSnapshot> CopyAll(IReadOnlyList<StoreDatabase> databases, string directory, string id, DateTimeOffset time,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var snapshots = new List<StoreSnapshot>(databases.Count);
        foreach (var database in databases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(database.FileName);
            snapshots.Add(Copy(database, directory, id, time, cancellationToken));
        }

        return snapshots;
    }

    private StoreSnapshot Copy(StoreDatabase database, string directory, string id, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var final = System.IO.Path.Combine(directory, database.FileName);
        var partial = final + PartialSuffix;
        File.Delete(partial);
        try
        {
            using (var live = _store.OpenShard(database))
            using (var command = live.Connection.CreateCommand())
            {
                command.CommandText = "VACUUM INTO $path";
                command.Parameters.AddWithValue("$path", partial);
                command.ExecuteNonQuery();
            }

            string dna;
            IReadOnlyList<string> problems;
            IReadOnlyList<int> epochs;
            var copy = StoreConnection.OpenReadWrite(partial);
            using (var shard = new StoreShard(database, copy, _store.Keys))
            {
                // One self-contained file: no -wal or -shm beside a snapshot.
                copy.Execute("PRAGMA journal_mode = DELETE");
                problems = copy.IntegrityCheck();
                dna = LogicalDna.Compute(shard, cancellationToken);
                epochs = EpochsInUse(copy, database.Kind);
            }

            File.Move(partial, final);
            return new StoreSnapshot
            {
                Id = id,
                Database = database.FileName,
                Time = time,
                Path = final,
                Bytes = new FileInfo(final).Length,
                LogicalDna = dna,
                Integrity = problems.Count == 0 ? "ok" : string.Join("; ", problems),
                StoreId = _store.Id,
                Region = _store.Region,
                KeyEpochs = epochs,
            };
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private void Record(IReadOnlyList<StoreSnapshot> snapshots)
    {
        using var system = _store.OpenShard(StoreDatabase.System);
        using var transaction = system.BeginWrite();
        try
        {
            using var command = system.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO snapshots (id, epoch, value) VALUES ($id, $epoch, $value)";
            var key = command.Parameters.Add("$id", SqliteType.Text);
            var epoch = command.Parameters.Add("$epoch", SqliteType.Integer);
            var value = command.Parameters.Add("$value", SqliteType.Blob);
            foreach (var snapshot in snapshots)
            {
                var rowKey = snapshot.Id + "/" + snapshot.Database;
                key.Value = rowKey;
                epoch.Value = system.Cipher.Epoch;
                value.Value = system.Cipher.Seal("snapshots", RecordFormat.Key(rowKey), JsonSerializer.SerializeToUtf8Bytes(snapshot, StoreSnapshotJson.Default.StoreSnapshot), transaction, useDictionary: false);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch
        {
            transaction.Rollback();
            throw;
        }
    }

    private static IReadOnlyList<int> EpochsInUse(SqliteConnection connection, StoreDatabaseKind kind) =>
    [
        .. StoreSchema.SealedTables(kind)
            .SelectMany(table => Distinct(connection, $"SELECT DISTINCT epoch FROM {table.Table}"))
            .Distinct().Order(),
    ];

    private static List<int> Distinct(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<int>();
        while (reader.Read())
        {
            values.Add(reader.GetInt32(0));
        }

        return values;
    }
}
