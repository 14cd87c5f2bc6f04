using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using ForgeOne.Core.Store.Keys;
using ForgeOne.Core.Store.Records;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// What the shared writer and reader need to know about one kind of time-series record (log entries, events):
/// its tables, how to check, route, serialize and read one record.
/// </summary>
/// <remarks>
/// <para>The codec's layout is one record's plaintext. The writer packs records of one topic into blocks
/// (<c>RecordBlock</c>: <c>1:u8 || count:varint || count × (idDelta:varint || length:varint || record)</c>), sealed as one
/// value of <see cref="ValueTable"/> keyed by the block's first id, with one <see cref="IndexTable"/> row per block;
/// the codec never sees blocks.</para>
/// <para>Every record starts with its layout byte and its timestamp (<c>RecordHead</c>), so a reader finds the
/// timestamps of a block's records without deserializing them.</para>
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
public abstract class TimeSeriesCodec<T>
    where T : class
{
    /// <summary>The database kind the records live in.</summary>
    public abstract StoreDatabaseKind Kind { get; }

    /// <summary>The record table, for example <c>logs</c>: one row per block of records.</summary>
    public abstract string ValueTable { get; }

    /// <summary>The (topic, timestamp, id) index table, for example <c>log_index</c>.</summary>
    public abstract string IndexTable { get; }

    /// <summary>The query that counts the records of a shard: the sum of its blocks' counts in the index.</summary>
    public string RecordCountQuery => $"SELECT coalesce(sum(count), 0) FROM {IndexTable}";

    /// <summary>The index table's companion holding, per topic tag, the longest span of a block, for example <c>log_spans</c>.</summary>
    public string SpanTable => SpanTableOf(IndexTable);

    /// <summary>The span table that goes with an index table: <c>log_index</c> → <c>log_spans</c>.</summary>
    /// <param name="indexTable">The index table.</param>
    /// <returns>The span table.</returns>
    internal static string SpanTableOf(string indexTable) => indexTable.Replace("_index", "_spans", StringComparison.Ordinal);

    /// <summary>Checks a record and returns it normalized (timestamp defaulted and rounded), or throws.</summary>
    /// <param name="record">The record as given.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The record to store.</returns>
    /// <exception cref="StoreValidationException">It breaks an input rule.</exception>
    public abstract T Validate(T record, DateTimeOffset now);

    /// <summary>The record's topic.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The topic.</returns>
    public abstract string TopicOf(T record);

    /// <summary>The record's timestamp.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The timestamp.</returns>
    public abstract DateTimeOffset TimestampOf(T record);

    /// <summary>A stable hash that routes the record to a shard, the same for the same record every time.</summary>
    /// <param name="record">The record.</param>
    /// <returns>Any 64-bit value; the shard is this modulo the shard count.</returns>
    public abstract ulong RouteHash(T record);

    /// <summary>Serializes the record (without its id, which its block holds) into <paramref name="writer"/>.</summary>
    /// <param name="record">The record.</param>
    /// <param name="recordKey">The record's own key bytes (its id, not its block's), for sealing subject fields.</param>
    /// <param name="writer">The writer, already reset.</param>
    /// <param name="vault">The subject vault.</param>
    public abstract void Serialize(T record, ReadOnlySpan<byte> recordKey, RecordWriter writer, SubjectVault vault);

    /// <summary>Reads a record back.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="shard">The shard it came from.</param>
    /// <param name="plaintext">What <see cref="Serialize"/> wrote.</param>
    /// <param name="vault">The subject vault.</param>
    /// <returns>The record.</returns>
    /// <exception cref="InvalidDataException">The plaintext is malformed.</exception>
    public abstract T Deserialize(long id, int shard, ReadOnlySpan<byte> plaintext, SubjectVault vault);

    /// <summary>
    /// Reads record <paramref name="index"/> of a block opened from <paramref name="shard"/>; a record that does not
    /// deserialize is reported as damage to that record.
    /// </summary>
    /// <param name="shard">The shard the block came from.</param>
    /// <param name="block">The opened block.</param>
    /// <param name="index">The record's place in the block.</param>
    /// <param name="vault">The subject vault.</param>
    /// <returns>The record.</returns>
    /// <exception cref="RecordIntegrityException">The record's plaintext is malformed.</exception>
    internal T ReadFrom(StoreShard shard, RecordBlock block, int index, SubjectVault vault)
    {
        var id = block.IdAt(index);
        try
        {
            return Deserialize(id, shard.Database.Shard, block.RecordAt(index), vault);
        }
        catch (InvalidDataException ex)
        {
            throw new RecordIntegrityException(shard.Database.FileName, ValueTable, id.ToString(CultureInfo.InvariantCulture), ex.Message, ex);
        }
    }

    /// <summary>The record with its id and shard set, as returned from a write.</summary>
    /// <param name="record">The record.</param>
    /// <param name="id">The id.</param>
    /// <param name="shard">The shard.</param>
    /// <returns>The record.</returns>
    public abstract T WithId(T record, long id, int shard);

    /// <summary>The record's id.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The id.</returns>
    public abstract long IdOf(T record);

    /// <summary>
    /// The record as a writer returns it to its caller once its batch committed, for example with a derived field
    /// filled in. Writers opened to return nothing never call it. Returns the record unless overridden.
    /// </summary>
    /// <param name="record">The record as written, with its id and shard.</param>
    /// <returns>What the caller gets.</returns>
    public virtual T Returned(T record) => record;

    /// <summary>
    /// Called inside a shard's write transaction after its batch is inserted, before commit, so that derived
    /// rows (event topics) commit or roll back with the records. Does nothing unless overridden.
    /// </summary>
    /// <param name="shard">The shard written.</param>
    /// <param name="transaction">Its open write transaction.</param>
    /// <param name="written">The records of the batch, with their ids.</param>
    public virtual void OnBatchWritten(StoreShard shard, SqliteTransaction transaction, IReadOnlyList<T> written)
    {
    }

    /// <summary>
    /// The route hash of a record with this topic and text (message or payload): XXH3-64 of the text's UTF-16 code
    /// units (little-endian) seeded with XXH3-64 of the topic's, mixed with the timestamp so one repeated text still
    /// spreads over shards.
    /// </summary>
    /// <remarks>A non-cryptographic hash is enough to spread records, and the route runs on the caller's thread for
    /// every record written: BLAKE3 over the UTF-8 of topic and text was 4% of all ingest CPU, XXH3 over the string's
    /// own memory needs no encoding.</remarks>
    /// <param name="topic">The record's topic.</param>
    /// <param name="text">Its message or payload.</param>
    /// <param name="timestamp">Its timestamp.</param>
    /// <returns>The route hash.</returns>
    protected static ulong RouteHashOf(string topic, string text, DateTimeOffset timestamp)
    {
        var topicHash = XxHash3.HashToUInt64(CodeUnits(topic));
        var z = XxHash3.HashToUInt64(CodeUnits(text), unchecked((long)topicHash)) ^ (ulong)timestamp.UtcTicks;

        // splitmix64 finalizer over the text's hash and the time
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // A string's UTF-16 code units as little-endian bytes, the same on every platform .NET runs on.
    private static ReadOnlySpan<byte> CodeUnits(string text)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Store routing assumes a little-endian platform.");
        }

        return MemoryMarshal.AsBytes(text.AsSpan());
    }
}
