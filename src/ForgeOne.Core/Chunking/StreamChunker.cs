using System.Buffers;
using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Chunking;

/// <summary>
/// Splits a stream into content-defined chunks with <see cref="FastCdcChunker"/>, reading it through one
/// pooled buffer so that files of any size are never loaded whole.
/// </summary>
/// <remarks>
/// <para>
/// The buffer holds 2 × <see cref="ChunkerOptions.MaximumSize"/> bytes (16 MiB with the defaults), rented
/// from <see cref="ArrayPool{T}.Shared"/> and returned on <see cref="Dispose"/>, or is the caller's. A cut is taken
/// only when it is final: found before the end of the buffered data, or a whole maximum-size chunk buffered, or the
/// stream ended; so the boundaries are exactly those of <see cref="FastCdcChunker.FindCutPoint"/> over the whole
/// stream, whatever sizes the stream's reads return. When more data is needed, the uncut tail is moved to the front
/// and reads (short ones retried) fill up to a window of four average chunks plus the read-ahead, and on to the end
/// of the buffer only while the tail is still uncut past that window.
/// </para>
/// <para>
/// Steady state allocates nothing per chunk: <see cref="Current"/> is a view into the buffer, and
/// <see cref="ReadNextAsync"/> completes synchronously without a state machine when no refill is needed.
/// </para>
/// <para>Not thread-safe; use one instance per stream. Use either the synchronous or the asynchronous reads.</para>
/// </remarks>
public sealed class StreamChunker : IDisposable
{
    private readonly Stream _stream;
    private readonly FastCdcChunker _chunker;
    private readonly bool _leaveOpen;
    private readonly int _maximumSize;
    private readonly int _readAhead;
    private readonly int _window;
    private readonly Memory<byte> _buffer;
    private byte[]? _rented;
    private bool _disposed;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private long _position;

    /// <summary>Creates a chunker over a readable stream, positioned where chunking should start.</summary>
    /// <param name="stream">The stream to split; read from its current position to its end.</param>
    /// <param name="chunker">The boundary finder (gear table and sizes).</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on <see cref="Dispose"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="chunker"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    public StreamChunker(Stream stream, FastCdcChunker chunker, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(chunker);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream to chunk must be readable.", nameof(stream));
        }

        _stream = stream;
        _chunker = chunker;
        _leaveOpen = leaveOpen;
        _maximumSize = chunker.Options.MaximumSize;
        _rented = ArrayPool<byte>.Shared.Rent(2 * _maximumSize);
        _buffer = _rented;
        (_readAhead, _window) = Window(chunker.Options, _buffer.Length);
    }

    /// <summary>
    /// Creates a chunker that works in <paramref name="buffer"/>, which the caller owns and may reuse for the next
    /// stream after <see cref="Dispose"/>: how a backup keeps one buffer per reader instead of renting one per file.
    /// </summary>
    /// <param name="stream">The stream to split; read from its current position to its end.</param>
    /// <param name="chunker">The boundary finder (gear table and sizes).</param>
    /// <param name="buffer">At least <see cref="GetMinimumBufferSize"/> bytes.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on <see cref="Dispose"/>.</param>
    /// <exception cref="ArgumentException">The buffer is too small, or the stream cannot be read.</exception>
    public StreamChunker(Stream stream, FastCdcChunker chunker, Memory<byte> buffer, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(chunker);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream to chunk must be readable.", nameof(stream));
        }

        if (buffer.Length < GetMinimumBufferSize(chunker))
        {
            throw new ArgumentException($"The chunk buffer must hold at least {GetMinimumBufferSize(chunker)} bytes.", nameof(buffer));
        }

        _stream = stream;
        _chunker = chunker;
        _leaveOpen = leaveOpen;
        _maximumSize = chunker.Options.MaximumSize;
        _buffer = buffer;
        (_readAhead, _window) = Window(chunker.Options, buffer.Length);
    }

    /// <summary>
    /// The smallest buffer a chunker can work in: one maximum-size chunk plus room to read ahead. Cuts found before the
    /// end of the buffered data are final, so more than that only saves some moving of data.
    /// </summary>
    public static int GetMinimumBufferSize(FastCdcChunker chunker)
    {
        ArgumentNullException.ThrowIfNull(chunker);
        return chunker.Options.MaximumSize + ReadAhead(chunker.Options);
    }

    private static int ReadAhead(ChunkerOptions options) => Math.Max(options.MaximumSize / 8, 64 * 1024);

    // Four average chunks and the read-ahead (5 MiB with the defaults), within the buffer.
    private static (int ReadAhead, int Window) Window(ChunkerOptions options, int bufferLength)
    {
        var readAhead = ReadAhead(options);
        return (readAhead, (int)Math.Min(bufferLength, (4L * options.AverageSize) + readAhead));
    }

    /// <summary>
    /// The current chunk. Valid only until the next read or <see cref="Dispose"/>, because the buffer behind it
    /// is reused; copy it (or finish with it) first. Empty before the first read and after the end.
    /// </summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>The offset of <see cref="Current"/> from where the stream was positioned at construction.</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// How far into the buffer reads have reached: this chunker never wrote past it, so a caller that reuses its buffer
    /// knows how much of it this stream needed.
    /// </summary>
    public int BufferExtent { get; private set; }

    /// <summary>Advances to the next chunk, reading from the stream as needed.</summary>
    /// <returns>True when <see cref="Current"/> holds a chunk; false at the end of the stream.</returns>
    /// <exception cref="ObjectDisposedException">The chunker has been disposed.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public bool ReadNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var buffer = _buffer;
        if (TryCutFinal(buffer, out var found))
        {
            return found;
        }

        do
        {
            var limit = MakeRoom(buffer);
            while (_end < limit && Advance(_stream.Read(buffer.Span[_end..limit])))
            {
                // Short reads go round again until the limit or the end of the stream.
            }
        }
        while (!TryCutFinal(buffer, out found));

        return found;
    }

    /// <summary>Advances to the next chunk, reading from the stream asynchronously as needed.</summary>
    /// <param name="cancellationToken">Cancels a pending read.</param>
    /// <returns>True when <see cref="Current"/> holds a chunk; false at the end of the stream.</returns>
    /// <exception cref="ObjectDisposedException">The chunker has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public ValueTask<bool> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var buffer = _buffer;
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        // Most chunks are cut from data already buffered: answer synchronously, no state machine.
        return TryCutFinal(buffer, out var found) ? new ValueTask<bool>(found) : FillAndCutAsync(buffer, cancellationToken);
    }

    /// <summary>Returns the buffer to the pool and, unless told to leave it open, disposes the stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Current = ReadOnlyMemory<byte>.Empty;
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    // Pooled builder: refills happen once per roughly one maximum-size chunk and may complete asynchronously;
    // pooling their state machines keeps the steady state allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FillAndCutAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        bool found;
        do
        {
            var limit = MakeRoom(buffer);
            while (_end < limit && Advance(await _stream.ReadAsync(buffer[_end..limit], cancellationToken).ConfigureAwait(false)))
            {
                // Short reads go round again until the limit or the end of the stream.
            }
        }
        while (!TryCutFinal(buffer, out found));

        return found;
    }

    // Reads stop at the window while the data not yet cut is short, and go on to the end of the buffer only for a
    // chunk still uncut past it. Chunks rarely run far past the average, so the rest of a buffer sized for the maximum
    // is seldom touched and never becomes resident: 9 MiB per reader became about 5 (docs/performance.md).
    // Moves the uncut tail to the front and returns how far the reads that follow should fill.
    private int MakeRoom(Memory<byte> buffer)
    {
        Compact(buffer.Span);
        return _end + _readAhead <= _window ? _window : buffer.Length;
    }

    // Counts one read's bytes; a read of 0 is the end of the stream (short reads are not).
    private bool Advance(int read)
    {
        if (read == 0)
        {
            _endOfStream = true;
            return false;
        }

        _end += read;
        BufferExtent = Math.Max(BufferExtent, _end);
        return true;
    }

    // A cut found before the end of the buffered data is final: more data cannot move it (FindCutPoint takes the first
    // qualifying position). Otherwise it is final only when a whole maximum-size chunk is visible or the stream ended.
    // Reading more only when a cut is not final lets a buffer barely larger than one chunk work without moving most of
    // itself after every cut.
    private bool TryCutFinal(Memory<byte> buffer, out bool found)
    {
        var available = _end - _start;
        found = false;
        if (available == 0)
        {
            // Nothing buffered: at the end of the stream that is the answer (no chunk), else read more.
            if (_endOfStream)
            {
                Current = ReadOnlyMemory<byte>.Empty;
                Offset = _position;
            }

            return _endOfStream;
        }

        var length = _chunker.FindCutPoint(buffer.Span.Slice(_start, available));
        if (length < available || _endOfStream || available >= _maximumSize)
        {
            Take(buffer, length);
            found = true;
            return true;
        }

        return false;
    }

    private void Compact(Span<byte> buffer)
    {
        // Moving the tail is cheap next to reading and hashing it: at most one maximum-size chunk per
        // maximum-size chunk consumed, usually far less.
        if (_start > 0)
        {
            buffer[_start.._end].CopyTo(buffer);
            _end -= _start;
            _start = 0;
        }
    }

    private void Take(Memory<byte> buffer, int length)
    {
        Current = buffer.Slice(_start, length);
        Offset = _position;
        _start += length;
        _position += length;
    }
}
