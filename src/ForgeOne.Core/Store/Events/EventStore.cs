using ForgeOne.Core.Store.Checkpoints;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Store.Events;

/// <summary>
/// The events of a store: sending, topic/time queries across shards, the topic list and consumer checkpoints for
/// replay.
/// </summary>
/// <remarks>
/// Two read orders: by timestamp (the default, merged across shards like logs), and, with
/// <see cref="EventQuery.AfterCheckpoint"/>, by id after a consumer's checkpoint, which is the order the events'
/// writes committed in each shard. A consumer that reads with <see cref="EventQuery.AfterCheckpoint"/> and then
/// calls <see cref="SetCheckpoint"/> with what it processed gets every event exactly once unless it crashes
/// between processing and checkpointing (then at least once).
/// </remarks>
public sealed class EventStore
{
    private readonly ForgeStore _store;
    private readonly TimeSeriesReaderPool<EventMessage> _readers;
    private readonly CheckpointTable _checkpoints;

    internal EventStore(ForgeStore store, TimeSeriesReaderPool<EventMessage> readers)
    {
        _store = store;
        _readers = readers;
        _checkpoints = new CheckpointTable(store, StoreDatabaseKind.Events);
    }

    /// <summary>Opens a batching writer; add events, then <see cref="TimeSeriesWriter{T}.Flush"/>.</summary>
    /// <param name="batchSize">Events per batch, 1 to 100,000.</param>
    /// <param name="returnWritten">Whether the writer returns the events it wrote, with their ids.</param>
    /// <returns>The writer; dispose it.</returns>
    public TimeSeriesWriter<EventMessage> OpenWriter(int batchSize = 4096, bool returnWritten = true) =>
        new(_store, EventCodec.Instance, batchSize, returnWritten: returnWritten);

    /// <summary>Sends events in batches and returns them with their ids.</summary>
    /// <param name="messages">The events.</param>
    /// <returns>The events as stored.</returns>
    /// <exception cref="StoreValidationException">An event breaks an input rule; earlier full batches are already written.</exception>
    public IReadOnlyList<EventMessage> Send(IEnumerable<EventMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var writer = OpenWriter();
        return writer.AddAllAndFlush(messages);
    }

    /// <summary>Sends one event.</summary>
    /// <param name="message">The event.</param>
    /// <returns>The event as stored.</returns>
    /// <exception cref="StoreValidationException">The event breaks an input rule.</exception>
    public EventMessage Send(EventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Send([message])[0];
    }

    /// <summary>Reads one page of events: in timestamp order, or in id order after a consumer's checkpoint.</summary>
    /// <param name="query">What to read.</param>
    /// <returns>The page.</returns>
    /// <exception cref="StoreValidationException">The topic or consumer name is malformed.</exception>
    public StorePage<EventMessage> ReadPage(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.AfterCheckpoint is { } consumer)
        {
            var checkpoint = _checkpoints.Get(consumer);
            using var replay = new ReplayReader<EventMessage>(_store, EventCodec.Instance);
            return replay.ReadPage(checkpoint, query.Topic, query.From, query.To, query.After, query.PageSize, PriorityFilter(query));
        }

        using var lease = _readers.Rent();
        return lease.Reader.ReadPage(query.Topic, query.From, query.To, query.After, query.PageSize, PriorityFilter(query));
    }

    /// <summary>Reads every matching event, a page at a time.</summary>
    /// <param name="query">What to read; <see cref="EventQuery.PageSize"/> sets how many are read at once.</param>
    /// <returns>The events.</returns>
    /// <exception cref="StoreValidationException">The topic or consumer name is malformed.</exception>
    public IEnumerable<EventMessage> Read(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.AfterCheckpoint is null ? ReadByTime(query) : ReadAfterCheckpoint(query, _checkpoints.Get(query.AfterCheckpoint));
    }

    /// <summary>Every topic that has events, with totals across shards, by name.</summary>
    /// <returns>The topics.</returns>
    public IReadOnlyList<EventTopic> ListTopics()
    {
        var topics = new Dictionary<string, EventTopic>(StringComparer.Ordinal);
        foreach (var database in _store.Layout.Shards(StoreDatabaseKind.Events))
        {
            using var shard = _store.OpenShard(database);
            foreach (var topic in TopicTable.ReadAll(shard))
            {
                topics[topic.Name] = topics.TryGetValue(topic.Name, out var seen)
                    ? seen with
                    {
                        Created = topic.Created < seen.Created ? topic.Created : seen.Created,
                        FirstTimestamp = topic.FirstTimestamp < seen.FirstTimestamp ? topic.FirstTimestamp : seen.FirstTimestamp,
                        LastTimestamp = topic.LastTimestamp > seen.LastTimestamp ? topic.LastTimestamp : seen.LastTimestamp,
                        Count = seen.Count + topic.Count,
                    }
                    : topic;
            }
        }

        return [.. topics.Values.OrderBy(topic => topic.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Moves a consumer's checkpoint past the events it has processed: in each shard, to the largest id among them.
    /// Positions only move forward.
    /// </summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="consumed">Events read back from this store (their ids say where they are); at least one.</param>
    /// <returns>The checkpoint as stored.</returns>
    /// <exception cref="StoreValidationException">The consumer name is malformed.</exception>
    /// <exception cref="ArgumentException">No events were given, or one has no id of this store.</exception>
    public ConsumerCheckpoint SetCheckpoint(string consumer, IEnumerable<EventMessage> consumed)
    {
        ArgumentNullException.ThrowIfNull(consumed);
        return _checkpoints.Advance(consumer, consumed.Select(message => message.Id));
    }

    /// <summary>A consumer's checkpoint.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <returns>The checkpoint, or null when the consumer has none.</returns>
    /// <exception cref="StoreValidationException">The consumer name is malformed.</exception>
    public ConsumerCheckpoint? GetCheckpoint(string consumer) => _checkpoints.Get(consumer);

    /// <summary>Deletes a consumer's checkpoint, so its next read after the checkpoint starts at the first event.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <returns>True when it had one.</returns>
    /// <exception cref="StoreValidationException">The consumer name is malformed.</exception>
    public bool RemoveCheckpoint(string consumer) => _checkpoints.Remove(consumer);

    private static Func<EventMessage, bool>? PriorityFilter(EventQuery query) =>
        query.MinimumPriority is { } minimum ? message => message.Priority >= minimum : null;

    private IEnumerable<EventMessage> ReadByTime(EventQuery query)
    {
        using var lease = _readers.Rent();
        foreach (var message in lease.Reader.ReadAll(query.Topic, query.From, query.To, query.After, PriorityFilter(query), query.PageSize))
        {
            yield return message;
        }
    }

    private IEnumerable<EventMessage> ReadAfterCheckpoint(EventQuery query, ConsumerCheckpoint? checkpoint)
    {
        using var reader = new ReplayReader<EventMessage>(_store, EventCodec.Instance);
        foreach (var message in reader.ReadAll(checkpoint, query.Topic, query.From, query.To, query.After, PriorityFilter(query), query.PageSize))
        {
            yield return message;
        }
    }

}
