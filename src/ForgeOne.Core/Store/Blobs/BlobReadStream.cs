namespace ForgeOne.Core.Store.Blobs;

/// <summary>
/// A read-only, forward-only stream over a blob's content, one checked chunk in memory at a time. A damaged chunk,
/// or content that does not match the blob's checksum at the end, fails the read with
/// <see cref="BlobIntegrityException"/>.
/// </summary>
internal sealed class BlobReadStream(BlobReader reader) : Stream
{
    private ReadOnlyMemory<byte> _current;
    private long _position;
    private bool _disposed;

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("A blob stream cannot seek; its size is BlobMetadata.Size.");

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A blob stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current.IsEmpty)
        {
            if (reader.Next() is not { } chunk)
            {
                return 0;
            }

            _current = chunk.Data;
        }

        var count = Math.Min(buffer.Length, _current.Length);
        _current.Span[..count].CopyTo(buffer);
        _current = _current[count..];
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A blob stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A blob stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A blob stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            reader.Dispose();
        }

        base.Dispose(disposing);
    }
}
