using ForgeOne.Core.Store.Checkpoints;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Store.Logs;

/// <summary>The log entries of a store: bulk writes and topic/time queries across shards.</summary>
public sealed class LogStore
{
    private readonly ForgeStore _store;
    private readonly TimeSeriesReaderPool<LogEntry> _readers;
    private readonly CheckpointTable _checkpoints;

    internal LogStore(ForgeStore store, TimeSeriesReaderPool<LogEntry> readers)
    {
        _store = store;
        _readers = readers;
        _checkpoints = new CheckpointTable(store, StoreDatabaseKind.Logs);
    }

    /// <summary>Opens a batching writer; add entries, then <see cref="TimeSeriesWriter{T}.Flush"/>.</summary>
    /// <param name="batchSize">Entries per batch.</param>
    /// <param name="returnWritten">Whether the writer returns the entries it wrote, with ids and content hashes; false
    /// when only storing them matters (cheaper: no content hash is computed).</param>
    /// <returns>The writer; dispose it.</returns>
    public TimeSeriesWriter<LogEntry> OpenWriter(int batchSize = 4096, bool returnWritten = true) =>
        new(_store, LogCodec.Instance, batchSize, returnWritten: returnWritten);

    /// <summary>Writes entries in batches and returns them with their ids.</summary>
    /// <param name="entries">The entries.</param>
    /// <returns>The entries as stored.</returns>
    /// <exception cref="StoreValidationException">An entry breaks an input rule; earlier full batches are already written.</exception>
    public IReadOnlyList<LogEntry> Write(IEnumerable<LogEntry> entries)
    {
        using var writer = OpenWriter();
        return writer.AddAllAndFlush(entries);
    }

    /// <summary>Reads one page of entries in timestamp order.</summary>
    /// <param name="query">What to read.</param>
    /// <returns>The page.</returns>
    public StorePage<LogEntry> ReadPage(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var lease = _readers.Rent();
        return lease.Reader.ReadPage(query.Topic, query.From, query.To, query.After, query.PageSize, SeverityFilter(query));
    }

    /// <summary>Reads every matching entry in timestamp order, a page at a time.</summary>
    /// <param name="query">What to read; <see cref="LogQuery.PageSize"/> sets how many are read at once.</param>
    /// <returns>The entries.</returns>
    public IEnumerable<LogEntry> Read(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var lease = _readers.Rent();
        foreach (var entry in lease.Reader.ReadAll(query.Topic, query.From, query.To, query.After, SeverityFilter(query), query.PageSize))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// Reads one page of the entries written after a consumer's checkpoint, in id order (the order their writes
    /// committed in each shard). A consumer without a checkpoint reads from the first entry.
    /// </summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="query">Topic, time range, severity and page; <see cref="LogQuery.After"/> takes the previous page of this kind of read.</param>
    /// <returns>The page.</returns>
    /// <exception cref="StoreValidationException">The topic or consumer name is malformed.</exception>
    public StorePage<LogEntry> ReadPageAfterCheckpoint(string consumer, LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var checkpoint = _checkpoints.Get(consumer);
        using var reader = new ReplayReader<LogEntry>(_store, LogCodec.Instance);
        return reader.ReadPage(checkpoint, query.Topic, query.From, query.To, query.After, query.PageSize, SeverityFilter(query));
    }

    /// <summary>Reads every entry written after a consumer's checkpoint, in id order, a page at a time.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="query">Topic, time range, severity and page size.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="StoreValidationException">The topic or consumer name is malformed.</exception>
    public IEnumerable<LogEntry> ReadAfterCheckpoint(string consumer, LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAfter(_checkpoints.Get(consumer), query);
    }

    /// <summary>Moves a consumer's checkpoint past the entries it has processed; positions only move forward.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="consumed">Entries read back from this store; at least one.</param>
    /// <returns>The checkpoint as stored.</returns>
    /// <exception cref="StoreValidationException">The consumer name is malformed.</exception>
    /// <exception cref="ArgumentException">No entries were given, or one has no id of this store.</exception>
    public ConsumerCheckpoint SetCheckpoint(string consumer, IEnumerable<LogEntry> consumed)
    {
        ArgumentNullException.ThrowIfNull(consumed);
        return _checkpoints.Advance(consumer, consumed.Select(entry => entry.Id));
    }

    /// <summary>A consumer's checkpoint.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <returns>The checkpoint, or null when the consumer has none.</returns>
    public ConsumerCheckpoint? GetCheckpoint(string consumer) => _checkpoints.Get(consumer);

    /// <summary>Deletes a consumer's checkpoint, so it starts over at the first entry.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <returns>True when it had one.</returns>
    public bool RemoveCheckpoint(string consumer) => _checkpoints.Remove(consumer);

    private IEnumerable<LogEntry> ReadAfter(ConsumerCheckpoint? checkpoint, LogQuery query)
    {
        using var reader = new ReplayReader<LogEntry>(_store, LogCodec.Instance);
        foreach (var entry in reader.ReadAll(checkpoint, query.Topic, query.From, query.To, query.After, SeverityFilter(query), query.PageSize))
        {
            yield return entry;
        }
    }

    private static Func<LogEntry, bool>? SeverityFilter(LogQuery query) =>
        query.MinimumSeverity is { } minimum ? entry => entry.Severity >= minimum : null;

}
