using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Store.Logs;

/// <summary>The log entries of a store: bulk writes and topic/time queries across shards.</summary>
public sealed class LogStore
{
    private readonly ForgeStore _store;

    internal LogStore(ForgeStore store) => _store = store;

    /// <summary>Opens a batching writer; add entries, then <see cref="TimeSeriesWriter{T}.Flush"/>.</summary>
    /// <param name="batchSize">Entries per batch.</param>
    /// <returns>The writer; dispose it.</returns>
    public TimeSeriesWriter<LogEntry> OpenWriter(int batchSize = 4096) => new(_store, LogCodec.Instance, batchSize);

    /// <summary>Writes entries in batches and returns them with their ids.</summary>
    /// <param name="entries">The entries.</param>
    /// <returns>The entries as stored.</returns>
    /// <exception cref="StoreValidationException">An entry breaks an input rule; earlier full batches are already written.</exception>
    public IReadOnlyList<LogEntry> Write(IEnumerable<LogEntry> entries)
    {
        using var writer = OpenWriter();
        var written = new List<LogEntry>();
        foreach (var entry in entries)
        {
            written.AddRange(writer.Add(entry));
        }

        written.AddRange(writer.Flush());
        return written;
    }

    /// <summary>Reads one page of entries in timestamp order.</summary>
    /// <param name="query">What to read.</param>
    /// <returns>The page.</returns>
    public StorePage<LogEntry> ReadPage(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var reader = new TimeSeriesReader<LogEntry>(_store, LogCodec.Instance);
        return reader.ReadPage(query.Topic, query.From, query.To, query.After, query.PageSize, SeverityFilter(query));
    }

    /// <summary>Reads every matching entry in timestamp order, a page at a time.</summary>
    /// <param name="query">What to read; <see cref="LogQuery.PageSize"/> sets how many are read at once.</param>
    /// <returns>The entries.</returns>
    public IEnumerable<LogEntry> Read(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var reader = new TimeSeriesReader<LogEntry>(_store, LogCodec.Instance);
        foreach (var entry in reader.ReadAll(query.Topic, query.From, query.To, query.After, SeverityFilter(query), query.PageSize))
        {
            yield return entry;
        }
    }

    private static Func<LogEntry, bool>? SeverityFilter(LogQuery query) =>
        query.MinimumSeverity is { } minimum ? entry => entry.Severity >= minimum : null;
}
