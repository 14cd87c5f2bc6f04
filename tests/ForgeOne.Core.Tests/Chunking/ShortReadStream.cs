namespace ForgeOne.Core.Tests.Chunking;

/// <summary>A read-only stream over a byte array whose reads return a random, often tiny, number of bytes.</summary>
internal sealed class ShortReadStream(byte[] data, int seed, int maximumRead) : Stream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // One byte at a time now and then, otherwise anything up to maximumRead: never the full request.
        var wanted = _random.Next(8) == 0 ? 1 : _random.Next(1, maximumRead + 1);
        var count = Math.Min(Math.Min(wanted, buffer.Length), data.Length - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Complete asynchronously now and then so the chunker's awaiting path runs too.
        if (_random.Next(4) == 0)
        {
            await Task.Yield();
        }

        return Read(buffer.Span);
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
