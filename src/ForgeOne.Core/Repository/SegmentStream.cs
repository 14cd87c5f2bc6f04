namespace ForgeOne.Core.Repository;

/// <summary>
/// Reads a list of slices of one buffer, then a tail, as one stream: how a pack's shuffled blobs and its header reach
/// the backend without first being copied into a second pack-sized array.
/// </summary>
internal sealed class SegmentStream : Stream
{
    private readonly byte[] _buffer;
    private readonly IReadOnlyList<(int Start, int Length)> _segments;
    private readonly byte[] _tail;
    private int _segment;
    private int _offsetInSegment;
    private long _position;

    internal SegmentStream(byte[] buffer, IReadOnlyList<(int Start, int Length)> segments, byte[] tail)
    {
        _buffer = buffer;
        _segments = segments;
        _tail = tail;
        Length = segments.Sum(s => (long)s.Length) + tail.Length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        var written = 0;
        while (written < destination.Length && _segment <= _segments.Count)
        {
            var source = _segment < _segments.Count
                ? _buffer.AsSpan(_segments[_segment].Start, _segments[_segment].Length)
                : _tail.AsSpan();
            var available = source[_offsetInSegment..];
            var take = Math.Min(available.Length, destination.Length - written);
            available[..take].CopyTo(destination[written..]);
            written += take;
            _offsetInSegment += take;
            if (_offsetInSegment == source.Length)
            {
                _segment++;
                _offsetInSegment = 0;
            }
        }

        _position += written;
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(destination.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
