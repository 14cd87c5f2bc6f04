using System.Collections.Concurrent;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// Keeps a few readers (each with one open connection and cipher per shard) for reuse, so a query does not open
/// every shard, check its identity and load its dictionary again. Readers are not thread-safe, so each query rents
/// one for itself; at most <see cref="MaxIdle"/> are kept.
/// </summary>
/// <remarks>
/// A kept reader stays correct while the store changes: every query reads SQLite afresh, new sessions and dictionaries
/// are looked up by id when a record needs them, and files are never swapped while the store is open (a restore needs
/// the store's exclusive lock).
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class TimeSeriesReaderPool<T> : IDisposable
    where T : class
{
    /// <summary>Readers kept when idle: 4.</summary>
    public const int MaxIdle = 4;

    private readonly ForgeStore _store;
    private readonly TimeSeriesCodec<T> _codec;
    private readonly ConcurrentBag<TimeSeriesReader<T>> _idle = [];
    private bool _disposed;

    public TimeSeriesReaderPool(ForgeStore store, TimeSeriesCodec<T> codec)
    {
        _store = store;
        _codec = codec;
    }

    /// <summary>A reader for one query; dispose the lease to give it back.</summary>
    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new Lease(this, _idle.TryTake(out var reader) ? reader : new TimeSeriesReader<T>(_store, _codec));
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private void Return(TimeSeriesReader<T> reader)
    {
        if (_disposed || _idle.Count >= MaxIdle)
        {
            reader.Dispose();
            return;
        }

        _idle.Add(reader);
    }

    /// <summary>A rented reader.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly TimeSeriesReaderPool<T> _pool;

        internal Lease(TimeSeriesReaderPool<T> pool, TimeSeriesReader<T> reader)
        {
            _pool = pool;
            Reader = reader;
        }

        public TimeSeriesReader<T> Reader { get; }

        public void Dispose() => _pool.Return(Reader);
    }
}
