using System.Globalization;
using System.Security.Cryptography;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Store.Blobs;
using ForgeOne.Core.Store.Events;
using ForgeOne.Core.Store.Keys;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Retention;
using ForgeOne.Core.Store.Settings;
using ForgeOne.Core.Store.Snapshots;
using ForgeOne.Core.Store.Sqlite;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store;

/// <summary>
/// An open ForgeOne store ("Redb"): one folder holding <c>system.redb</c> and the shards of logs, blobs and
/// events, every record compressed and sealed (docs/store.md).
/// </summary>
/// <remarks>
/// <para>Opening unwraps the master key from a key slot in <c>system.redb</c> and takes the store's shared
/// in-use lock (<see cref="StoreLock"/>), held until <see cref="Dispose"/>.</para>
/// <para>Thread-safety: the store and its <see cref="Logs"/>, <see cref="Blobs"/> and <see cref="Events"/> may be used from several threads; each operation
/// opens its own connections (<see cref="OpenShard"/>).</para>
/// </remarks>
public sealed class ForgeStore : IDisposable
{
    private readonly StoreLock _lock;
    private readonly TimeSeriesReaderPool<LogEntry> _logReaders;
    private readonly TimeSeriesReaderPool<EventMessage> _eventReaders;
    private bool _disposed;

    private ForgeStore(StoreLayout layout, string id, string region, DateTimeOffset created, StoreKeys keys, StoreLock storeLock)
    {
        Layout = layout;
        Id = id;
        Region = region;
        Created = created;
        Keys = keys;
        _lock = storeLock;
        _logReaders = new TimeSeriesReaderPool<LogEntry>(this, LogCodec.Instance);
        _eventReaders = new TimeSeriesReaderPool<EventMessage>(this, EventCodec.Instance);
        Logs = new LogStore(this, _logReaders);
        Blobs = new BlobStore(this);
        Events = new EventStore(this, _eventReaders);
        Subjects = new SubjectVault(layout.SubjectVaultPath, keys, auditEvent => TryAudit(auditEvent));
        Snapshots = new StoreSnapshots(this);
        Settings = new StoreSettings(this);
        Retention = new StoreRetention(this, new BlobRetentionTarget(this));
    }

    /// <summary>The store's random id, 32 hex digits.</summary>
    public string Id { get; }

    /// <summary>The region set at creation.</summary>
    public string Region { get; }

    /// <summary>When the store was created (UTC).</summary>
    public DateTimeOffset Created { get; }

    /// <summary>Where the store's files are and how many shards of each kind it has.</summary>
    public StoreLayout Layout { get; }

    /// <summary>The folder of the store.</summary>
    public string Path => Layout.Directory;

    /// <summary>Log entries: ingest and query.</summary>
    public LogStore Logs { get; }

    /// <summary>Blobs: streamed add, read, save, list and remove, content-addressed chunks.</summary>
    public BlobStore Blobs { get; }

    /// <summary>Events: send, topic/time queries, topics and consumer checkpoints.</summary>
    public EventStore Events { get; }

    /// <summary>The store's keys.</summary>
    public StoreKeys Keys { get; }

    /// <summary>The per-data-subject keys (subjects.redb).</summary>
    public SubjectVault Subjects { get; }

    /// <summary>Point-in-time snapshots of the databases, with their logical DNA.</summary>
    public StoreSnapshots Snapshots { get; }

    /// <summary>Versioned settings (configuration, feature flags, retention policy) in system.redb.</summary>
    public StoreSettings Settings { get; }

    /// <summary>The retention policy of logs, events and blobs, and the purge that enforces it.</summary>
    public StoreRetention Retention { get; }

    /// <summary>True when <paramref name="path"/> holds a store (it has a system.redb).</summary>
    /// <param name="path">The folder.</param>
    /// <returns>Whether a store is there.</returns>
    public static bool Exists(string path) => File.Exists(System.IO.Path.Combine(path, StoreDatabase.System.FileName));

    /// <summary>
    /// Creates a store in a new or empty folder, with a first key slot for <paramref name="credentials"/>.
    /// </summary>
    /// <param name="path">The folder; created if missing, and must be empty if it exists.</param>
    /// <param name="credentials">The passphrase or key file of the first key slot.</param>
    /// <param name="options">Shard counts and region; null for the defaults.</param>
    /// <returns>The open store; dispose it.</returns>
    /// <exception cref="StoreExistsException">The folder is not empty.</exception>
    /// <exception cref="StoreValidationException">The region is malformed.</exception>
    public static ForgeStore Create(string path, RepositoryCredentials credentials, StoreCreateOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(credentials);
        options ??= new StoreCreateOptions();
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new StoreExistsException(full);
        }

        // Build the store in a hidden sibling and move it into place whole, so a killed creation leaves no
        // half-made store under the chosen name (only a hidden folder nothing reads).
        var parent = System.IO.Path.GetDirectoryName(full.TrimEnd(System.IO.Path.DirectorySeparatorChar))!;
        Directory.CreateDirectory(parent);
        var staging = System.IO.Path.Combine(parent, "." + System.IO.Path.GetFileName(full) + ".creating-" + ObjectNames.ToHex(RandomNumberGenerator.GetBytes(4)));
        var stagingLayout = new StoreLayout(staging, options.LogShards, options.BlobShards, options.EventShards);
        Directory.CreateDirectory(staging);
        var id = ObjectNames.ToHex(RandomNumberGenerator.GetBytes(16));
        var created = DateTimeOffset.UtcNow;
        try
        {
            foreach (var database in stagingLayout.Databases.Where(database => database.Kind != StoreDatabaseKind.System))
            {
                using var connection = CreateDatabaseFile(stagingLayout.PathOf(database), database, id, options.Region, created);
            }

            using (var master = MasterKey.Generate())
            using (var system = CreateDatabaseFile(stagingLayout.SystemPath, StoreDatabase.System, id, options.Region, created))
            using (var transaction = system.BeginTransaction())
            {
                MetadataTable.SetText(system, "store.id", id, transaction);
                MetadataTable.SetText(system, "store.created", created.ToString("O", CultureInfo.InvariantCulture), transaction);
                MetadataTable.SetText(system, "store.region", options.Region, transaction);
                MetadataTable.SetText(system, "shards.logs", options.LogShards.ToString(CultureInfo.InvariantCulture), transaction);
                MetadataTable.SetText(system, "shards.blobs", options.BlobShards.ToString(CultureInfo.InvariantCulture), transaction);
                MetadataTable.SetText(system, "shards.events", options.EventShards.ToString(CultureInfo.InvariantCulture), transaction);
                var slot = credentials.CreateSlot(master, options.Argon2);
                MetadataTable.Set(system, "keyslot." + slot.Id, slot.ToJson(), transaction);
                StoreKeys.CreateNew(MasterKey.FromBytes(master.Bytes), system, transaction).Dispose();
                transaction.Commit();
            }

            if (Directory.Exists(full))
            {
                Directory.Delete(full);
            }

            Directory.Move(staging, full);
        }
        catch
        {
            TryDeleteDirectory(staging);
            throw;
        }

        var store = Open(full, credentials);
        store.TryAudit(new AuditEvent
        {
            Operation = AuditOperations.Init,
            Target = "store " + store.Id,
            Parameters = new Dictionary<string, string>
            {
                ["region"] = store.Region,
                ["shards"] = string.Create(CultureInfo.InvariantCulture, $"{options.LogShards}/{options.BlobShards}/{options.EventShards}"),
            },
        });
        return store;
    }

    /// <summary>Opens an existing store.</summary>
    /// <param name="path">The store's folder.</param>
    /// <param name="credentials">A passphrase or key file matching one of its key slots.</param>
    /// <returns>The open store; dispose it.</returns>
    /// <exception cref="StoreNotFoundException">There is no store at <paramref name="path"/>.</exception>
    /// <exception cref="WrongCredentialsException">No key slot opens with the credentials.</exception>
    /// <exception cref="StoreInUseException">A restore holds the store exclusively.</exception>
    /// <exception cref="StoreFormatException">system.redb is damaged or of another version.</exception>
    public static ForgeStore Open(string path, RepositoryCredentials credentials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(credentials);
        var full = System.IO.Path.GetFullPath(path);
        if (!Exists(full))
        {
            throw new StoreNotFoundException(full);
        }

        using var system = StoreConnection.OpenReadWrite(System.IO.Path.Combine(full, StoreDatabase.System.FileName));
        var (id, region) = CheckIdentity(system, System.IO.Path.Combine(full, StoreDatabase.System.FileName), StoreDatabase.System, expectedStoreId: null);
        var layout = new StoreLayout(full,
            MetadataTable.GetInt(system, "shards.logs") ?? 1,
            MetadataTable.GetInt(system, "shards.blobs") ?? 1,
            MetadataTable.GetInt(system, "shards.events") ?? 1);
        var created = DateTimeOffset.Parse(MetadataTable.GetText(system, "store.created") ?? "2000-01-01T00:00:00Z", CultureInfo.InvariantCulture);

        var storeLock = StoreLock.AcquireShared(layout);
        try
        {
            return new ForgeStore(layout, id, region, created, UnlockKeys(system, full, credentials), storeLock);
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    /// <summary>Reads the store's statistics (<see cref="Statistics.StoreStatisticsReader"/>).</summary>
    /// <returns>Per-file records, bytes and estimated plaintext size, and store totals.</returns>
    public Statistics.StoreStatistics GetStatistics() => Statistics.StoreStatisticsReader.Read(this);

    /// <summary>
    /// Opens the store's audit log (kept in system.redb, signed with the Ed25519 key derived from the store's master key).
    /// </summary>
    /// <returns>The log; dispose it.</returns>
    public AuditLog OpenAuditLog()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new AuditLog(new StoreAuditStorage(this), AuditSigningKey.FromMasterKey(Keys.Master));
    }

    /// <summary>Appends a record to the store's audit log; a failure to write it never fails the operation it describes.</summary>
    /// <param name="auditEvent">What happened.</param>
    /// <returns>The record, or null when the log could not be written.</returns>
    internal AuditRecord? TryAudit(AuditEvent auditEvent)
    {
        try
        {
            using var log = OpenAuditLog();
            return log.AppendAsync(auditEvent).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is ForgeException or SqliteException or IOException)
        {
            return null;
        }
    }

    /// <summary>Opens every shard of one kind; if one fails to open, those already open are closed again.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The open shards, by shard number; dispose each.</returns>
    /// <exception cref="StoreFormatException">A file is missing, another store's, or of another kind or shard.</exception>
    public StoreShard[] OpenShards(StoreDatabaseKind kind)
    {
        var opened = new List<StoreShard>();
        try
        {
            foreach (var database in Layout.Shards(kind))
            {
                opened.Add(OpenShard(database));
            }

            return [.. opened];
        }
        catch
        {
            opened.ForEach(shard => shard.Dispose());
            throw;
        }
    }

    /// <summary>Opens one of the store's databases, checking that the file belongs there.</summary>
    /// <param name="database">The database.</param>
    /// <returns>The open shard; dispose it.</returns>
    /// <exception cref="StoreFormatException">The file is missing, another store's, or of another kind or shard.</exception>
    public StoreShard OpenShard(StoreDatabase database)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var path = Layout.PathOf(database);
        if (!File.Exists(path))
        {
            throw new StoreFormatException(path,
                $"the file is missing. Restore it with Restore-ForgeBackup -Store '{Path}' -Target {database.FileName} (forge backup restore --target={database.FileName}).");
        }

        var connection = StoreConnection.OpenReadWrite(path);
        try
        {
            CheckIdentity(connection, path, database, Id);
            return new StoreShard(database, connection, Keys);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks that a database file is a store database of this schema, of the expected kind and shard, and (when
    /// <paramref name="expectedStoreId"/> is given) of that store.
    /// </summary>
    /// <param name="connection">An open connection to the file.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="database">What the file should be.</param>
    /// <param name="expectedStoreId">The store it should belong to; null to accept any.</param>
    /// <returns>The file's store id and region.</returns>
    /// <exception cref="StoreFormatException">It is not.</exception>
    public static (string StoreId, string Region) CheckIdentity(SqliteConnection connection, string path, StoreDatabase database, string? expectedStoreId)
    {
        long applicationId;
        long version;
        try
        {
            applicationId = (long)connection.Scalar("PRAGMA application_id")!;
            version = (long)connection.Scalar("PRAGMA user_version")!;
        }
        catch (SqliteException ex)
        {
            throw new StoreFormatException(path, "it is not a SQLite database (or it is damaged). Restore it from a backup.", ex);
        }

        if (applicationId != StoreSchema.ApplicationId)
        {
            throw new StoreFormatException(path, "it is not a ForgeOne store database.");
        }

        if (version != StoreSchema.Version)
        {
            throw new StoreFormatException(path, string.Create(CultureInfo.InvariantCulture,
                $"it has store schema {version}; this build reads schema {StoreSchema.Version}. Use a ForgeOne version that matches."));
        }

        var info = ReadShardInfo(connection);
        var storeId = info.GetValueOrDefault("store_id") ?? "";
        var kind = info.GetValueOrDefault("kind");
        var shard = info.GetValueOrDefault("shard");
        var expectedKind = database.Kind.ToString().ToLowerInvariant();
        if (kind != expectedKind || shard != database.Shard.ToString(CultureInfo.InvariantCulture))
        {
            throw new StoreFormatException(path, $"it holds {kind} shard {shard}, not {database.FileName}. Put each file back under its own name.");
        }

        if (expectedStoreId is not null && storeId != expectedStoreId)
        {
            throw new StoreFormatException(path, $"it belongs to store {storeId}, not to this store ({expectedStoreId}).");
        }

        return (storeId, info.GetValueOrDefault("region") ?? StoreCreateOptions.DefaultRegion);
    }

    /// <summary>Releases the keys and the in-use lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _logReaders.Dispose();
        _eventReaders.Dispose();
        Keys.Dispose();
        _lock.Dispose();
    }

    private static Dictionary<string, string> ReadShardInfo(SqliteConnection connection)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value FROM shard_info";
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                info[reader.GetString(0)] = reader.GetString(1);
            }
        }
        catch (SqliteException)
        {
            // A file without shard_info fails the kind check below with a clear message.
        }

        return info;
    }

    private static SqliteConnection CreateDatabaseFile(string path, StoreDatabase database, string storeId, string region, DateTimeOffset created)
    {
        var connection = StoreConnection.OpenOrCreate(path);
        try
        {
            // The page size is fixed once the file is in WAL mode: set it on the still empty file in rollback mode.
            var pageSize = StoreSchema.PageSize(database.Kind);
            if (pageSize != 4096)
            {
                connection.Execute("PRAGMA journal_mode = DELETE");
                connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA page_size = {pageSize}"));
                connection.Execute("VACUUM");
                connection.Execute("PRAGMA journal_mode = WAL");
            }

            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {StoreSchema.ApplicationId}"));
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {StoreSchema.Version}"));
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = StoreSchema.CreateStatements(database.Kind);
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO shard_info (key, value) VALUES ($key, $value)";
            var key = command.Parameters.Add("$key", SqliteType.Text);
            var value = command.Parameters.Add("$value", SqliteType.Text);
            foreach (var (name, text) in new[]
            {
                ("store_id", storeId),
                ("kind", database.Kind.ToString().ToLowerInvariant()),
                ("shard", database.Shard.ToString(CultureInfo.InvariantCulture)),
                ("region", region),
                ("created", created.ToString("O", CultureInfo.InvariantCulture)),
            })
            {
                key.Value = name;
                value.Value = text;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Unlocks the keys kept in a system.redb (a live one, or a restored copy being verified) without opening
    /// the store or taking its lock.
    /// </summary>
    /// <param name="system">An open connection to the system database.</param>
    /// <param name="location">The store, for messages.</param>
    /// <param name="credentials">A passphrase or key file matching one of its key slots.</param>
    /// <returns>The keys; dispose them.</returns>
    /// <exception cref="WrongCredentialsException">No key slot opens with the credentials.</exception>
    internal static StoreKeys UnlockKeys(SqliteConnection system, string location, RepositoryCredentials credentials)
    {
        var master = Unlock(system, location, credentials);
        try
        {
            return StoreKeys.Load(master, system);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    private static MasterKey Unlock(SqliteConnection system, string location, RepositoryCredentials credentials)
    {
        foreach (var (_, json) in MetadataTable.List(system, "keyslot."))
        {
            var slot = KeySlot.Parse(json);
            if (slot.Kind == credentials.Kind && credentials.TryUnlock(slot, out var master))
            {
                return master;
            }
        }

        throw new WrongCredentialsException(location, credentials.Kind);
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind as a hidden folder; nothing reads it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
