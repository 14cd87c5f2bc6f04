namespace ForgeOne.Core.Tests.Storage;

/// <summary>
/// A non-seekable source stream that hands out its data in fixed-size reads and, once <c>stopAfter</c> bytes have
/// been read, either throws <c>failure</c> or stalls until the read is cancelled, like a slow network source.
/// </summary>
internal sealed class ScriptedReadStream(byte[] data, int readSize, long stopAfter = long.MaxValue,
    Exception? failure = null) : Stream
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    /// <summary>Completes when the stream reaches <c>stopAfter</c> and starts failing or stalling.</summary>
    public Task Stopped => _stopped.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= stopAfter)
        {
            _stopped.TrySetResult();
            if (failure is not null)
            {
                throw failure;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        await Task.Yield();
        var count = (int)Math.Min(Math.Min(Math.Min(readSize, buffer.Length), data.Length - _position),
            stopAfter - _position);
        data.AsSpan(_position, count).CopyTo(buffer.Span);
        _position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
