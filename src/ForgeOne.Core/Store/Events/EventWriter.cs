using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Store.Events;

/// <summary>
/// Sends events in batches through the shared time-series writer and keeps each shard's <c>topics</c> table up to
/// date after every batch.
/// </summary>
/// <remarks>Not thread-safe: one writer per producer. Dispose closes the shard connections (without flushing).</remarks>
public sealed class EventWriter : IDisposable
{
    private readonly TimeSeriesWriter<EventMessage> _writer;
    private bool _disposed;

    internal EventWriter(ForgeStore store, int batchSize)
    {
        _writer = new TimeSeriesWriter<EventMessage>(store, EventCodec.Instance, batchSize);
    }

    /// <summary>Events buffered before they are written.</summary>
    public int BatchSize => _writer.BatchSize;

    /// <summary>Events committed so far.</summary>
    public long Written => _writer.Written;

    /// <summary>Checks an event and buffers it, writing the buffer when it is full.</summary>
    /// <param name="message">The event.</param>
    /// <returns>Events committed by this call (empty unless the buffer was written).</returns>
    /// <exception cref="StoreValidationException">The event breaks an input rule; nothing of it is buffered.</exception>
    public IReadOnlyList<EventMessage> Add(EventMessage message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writer.Add(message);
    }

    /// <summary>Writes every buffered event.</summary>
    /// <returns>The events written, with their ids.</returns>
    public IReadOnlyList<EventMessage> Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writer.Flush();
    }

    /// <summary>Closes the shard connections. Buffered events not flushed are dropped.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
    }
}
