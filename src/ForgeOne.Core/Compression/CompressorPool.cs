namespace ForgeOne.Core.Compression;

/// <summary>
/// Lends <see cref="ChunkCompressor"/> instances to callers on any thread, so a component shared by many
/// threads (the envelope's <c>ObjectSealer</c> and <c>ObjectOpener</c>) compresses with the same logic as a
/// pipeline worker without owning one compressor per thread.
/// </summary>
/// <remarks>
/// <para>Rent an instance, use it on one thread, and hand it back in a <c>finally</c>:</para>
/// <code>
/// var compressor = pool.Rent();
/// try { compressed = compressor.TryCompress(input, destination, out written); }
/// finally { pool.Return(compressor); }
/// </code>
/// <para>Renting when no instance is idle creates one, so callers never wait. At most
/// <see cref="MaxRetained"/> idle instances are kept; further returns are disposed. Memory is therefore
/// bounded by the peak number of concurrent callers while they run, and by <see cref="MaxRetained"/> times
/// one instance's contexts (about 1–2 MiB each at level 3) afterwards.</para>
/// <para><b>Thread-safety:</b> <see cref="Rent"/> and <see cref="Return"/> may be called from any number of
/// threads at once. <see cref="Dispose"/> frees the idle instances; instances still rented are disposed when
/// they are returned.</para>
/// </remarks>
public sealed class CompressorPool : IDisposable
{
    private readonly Stack<ChunkCompressor> _idle = new();
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Creates a pool keeping up to one idle compressor per processor (at least 2).</summary>
    /// <param name="level">The zstd level of every lent compressor, <see cref="ChunkCompressor.MinimumLevel"/>
    /// to <see cref="ChunkCompressor.MaximumLevel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside the accepted range.</exception>
    public CompressorPool(int level = ChunkCompressor.DefaultLevel)
        : this(level, Math.Max(2, Environment.ProcessorCount))
    {
    }

    /// <summary>Creates a pool keeping up to <paramref name="maxRetained"/> idle compressors.</summary>
    /// <param name="level">The zstd level of every lent compressor, <see cref="ChunkCompressor.MinimumLevel"/>
    /// to <see cref="ChunkCompressor.MaximumLevel"/>.</param>
    /// <param name="maxRetained">The most idle compressors kept for reuse; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside the accepted range, or
    /// <paramref name="maxRetained"/> is less than 1.</exception>
    public CompressorPool(int level, int maxRetained)
    {
        // Checked here rather than on the first Rent, so a bad setting fails where it is made.
        ChunkCompressor.ThrowIfLevelOutOfRange(level, nameof(level));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetained, 1);
        Level = level;
        MaxRetained = maxRetained;
    }

    /// <summary>The zstd level of every compressor this pool lends.</summary>
    public int Level { get; }

    /// <summary>The most idle compressors kept for reuse.</summary>
    public int MaxRetained { get; }

    /// <summary>Number of idle compressors currently kept; for tests.</summary>
    internal int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Lends a compressor for use on one thread until it is passed to <see cref="Return"/>.</summary>
    /// <returns>An idle compressor, or a new one when none is idle.</returns>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public ChunkCompressor Rent()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var compressor))
            {
                return compressor;
            }
        }

        return new ChunkCompressor(Level);
    }

    /// <summary>
    /// Takes back a compressor from <see cref="Rent"/>; the caller must not use it afterwards. Kept for reuse
    /// while fewer than <see cref="MaxRetained"/> are idle, disposed otherwise or once the pool is disposed.
    /// </summary>
    /// <param name="compressor">The compressor to return.</param>
    /// <exception cref="ArgumentNullException"><paramref name="compressor"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="compressor"/> has another level, so it did not come
    /// from this pool.</exception>
    public void Return(ChunkCompressor compressor)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        if (compressor.Level != Level)
        {
            throw new ArgumentException(
                $"The compressor uses level {compressor.Level}, but this pool lends level {Level}; it came from elsewhere.",
                nameof(compressor));
        }

        lock (_gate)
        {
            if (!_disposed && _idle.Count < MaxRetained)
            {
                _idle.Push(compressor);
                return;
            }
        }

        compressor.Dispose();
    }

    /// <summary>Frees the idle compressors; rented ones are freed as they come back.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_idle.TryPop(out var compressor))
            {
                compressor.Dispose();
            }
        }
    }
}
