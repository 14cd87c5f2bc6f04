using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Backup;

/// <summary>
/// The write half of the backup pipeline: drops blobs the repository (or this run) already has, seals the rest on
/// several workers, and gathers them into packs on one writer.
/// </summary>
/// <remarks>
/// Stages connect through bounded channels, so memory is capped: at most <c>workers</c> plaintext chunks wait
/// to be sealed and <see cref="PackQueueCapacity"/> sealed ones wait for the pack writer, plus the pack being filled.
/// Each stage waits for room downstream before it takes a buffer (a reader before copying its chunk, a sealer before
/// taking the next chunk), so a stalled pack writer leaves chunks waiting in the first queue, not buffers in hands.
/// A failing stage cancels the others and its exception comes out of <see cref="SaveAsync"/> or
/// <see cref="CompleteAsync"/>; packs already written stay unreferenced until a prune, never half-visible.
/// </remarks>
internal sealed class BlobUploader : IAsyncDisposable
{
    private const int PackQueueCapacity = 2;

    private readonly Repository.Repository _repository;
    private readonly BackupStatistics _statistics;
    private readonly Channel<PlainBlob> _toSeal;
    private readonly Channel<SealedBlob> _toPack;
    private readonly ConcurrentDictionary<(BlobId, BlobType), byte> _pending = new();
    private readonly BlobBufferPool _buffers;
    private readonly CancellationTokenSource _failed;
    private readonly Task[] _sealers;
    private readonly Task<List<PackResult>> _packer;
    private Exception? _failure;

    internal BlobUploader(Repository.Repository repository, BackupStatistics statistics, int workers, CancellationToken cancellationToken)
    {
        _repository = repository;
        _statistics = statistics;
        _failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Plain and sealed buffers of every blob the stages can hold at once: queued, being sealed, queued for the pack.
        _buffers = new BlobBufferPool(
            (2 * workers) + (2 * workers) + PackQueueCapacity + 2,
            BlobSealer.GetMaxSealedLength(2 * repository.Config.Chunker.AverageSize));
        _toSeal = Channel.CreateBounded<PlainBlob>(new BoundedChannelOptions(workers) { SingleReader = false, SingleWriter = false });
        _toPack = Channel.CreateBounded<SealedBlob>(new BoundedChannelOptions(PackQueueCapacity) { SingleReader = true });
        _sealers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(SealLoopAsync))];
        _packer = Task.Run(PackLoopAsync);
    }

    /// <summary>Queues a blob unless it is already stored or queued; copies <paramref name="plaintext"/>.</summary>
    internal async ValueTask SaveAsync(BlobType type, BlobId id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        if (_repository.Index.Contains(id, type) || !_pending.TryAdd((id, type), 0))
        {
            return;
        }

        // The copy is made once the queue has room, so a reader held up by a full queue holds no buffer.
        try
        {
            await _toSeal.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (Volatile.Read(ref _failure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        var buffer = _buffers.Rent(plaintext.Length);
        plaintext.Span.CopyTo(buffer.Span);
        try
        {
            await _toSeal.Writer.WriteAsync(new PlainBlob(type, id, buffer, plaintext.Length), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            _buffers.Return(buffer, plaintext.Length);

            // Rethrown as captured, so the stack still shows where the stage failed (a bare throw of the inner
            // exception would replace it with this line).
            ExceptionDispatchInfo.Throw(Volatile.Read(ref _failure) ?? ex.InnerException ?? new OperationCanceledException(cancellationToken));
            throw;
        }
        catch
        {
            _buffers.Return(buffer, plaintext.Length);
            throw;
        }
    }

    /// <summary>Seals what is queued, writes the last pack, and returns every pack written by this run.</summary>
    internal async Task<IReadOnlyList<PackResult>> CompleteAsync()
    {
        _toSeal.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_sealers).ConfigureAwait(false);
            _toPack.Writer.TryComplete();
            return await _packer.ConfigureAwait(false);
        }
        catch (Exception) when (Volatile.Read(ref _failure) is { } failure)
        {
            // Stages stopped by another's failure only say they were stopped; the first failure is the cause.
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    private async Task SealLoopAsync()
    {
        try
        {
            // A blob is taken only when the pack queue has room for it, so while the pack writer is busy writing a
            // pack, plain blobs wait in their queue rather than sealed ones piling up in the sealers' hands: about half
            // the buffers in flight at the peak of a 1 GiB backup (docs/performance.md).
            while (await _toPack.Writer.WaitToWriteAsync(_failed.Token).ConfigureAwait(false)
                && await _toSeal.Reader.WaitToReadAsync(_failed.Token).ConfigureAwait(false))
            {
                if (!_toSeal.Reader.TryRead(out var blob))
                {
                    continue;
                }

                // Sealed into a pooled buffer, which the pack stage returns once the pack writer has copied it: a fresh buffer per
                // chunk would be a large allocation each time and inflate the process's memory.
                NativeBuffer? sealedBuffer = null;
                int sealedLength;
                try
                {
                    sealedBuffer = _buffers.Rent(BlobSealer.GetMaxSealedLength(blob.Length));
                    sealedLength = _repository.BlobSealer.Seal(blob.Type, blob.Id, blob.Buffer.Span[..blob.Length], sealedBuffer.Span);
                }
                catch
                {
                    if (sealedBuffer is not null)
                    {
                        _buffers.Return(sealedBuffer, sealedBuffer.Length);
                    }

                    throw;
                }
                finally
                {
                    _buffers.Return(blob.Buffer, blob.Length);
                }

                _statistics.AddNewBlob(blob.Length);
                try
                {
                    await _toPack.Writer.WriteAsync(new SealedBlob(blob.Type, blob.Id, sealedBuffer, sealedLength, blob.Length), _failed.Token).ConfigureAwait(false);
                }
                catch
                {
                    _buffers.Return(sealedBuffer, sealedLength);
                    throw;
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
            throw;
        }
    }

    private async Task<List<PackResult>> PackLoopAsync()
    {
        List<PackResult> packs = [];
        try
        {
            using var writer = _repository.CreatePackWriter();
            await foreach (var blob in _toPack.Reader.ReadAllAsync(_failed.Token).ConfigureAwait(false))
            {
                PackResult? written;
                try
                {
                    written = await writer.AddAsync(blob.Type, blob.Id, blob.Sealed.Memory[..blob.SealedLength], blob.RawLength, _failed.Token).ConfigureAwait(false);
                }
                finally
                {
                    _buffers.Return(blob.Sealed, blob.SealedLength);
                }

                if (written is not null)
                {
                    Record(packs, written);
                }
            }

            if (await writer.FlushAsync(_failed.Token).ConfigureAwait(false) is { } last)
            {
                Record(packs, last);
            }

            return packs;
        }
        catch (Exception ex)
        {
            Fail(ex);
            throw;
        }
    }

    private void Record(List<PackResult> packs, PackResult pack)
    {
        packs.Add(pack);
        _statistics.AddStored(pack.Length);
    }

    // The first failure stops every stage and closes the input, so producers see it instead of waiting forever.
    private void Fail(Exception exception)
    {
        Interlocked.CompareExchange(ref _failure, exception, null);
        _toSeal.Writer.TryComplete(exception);
        _toPack.Writer.TryComplete(exception);
        _failed.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _failed.Cancel();
        _toSeal.Writer.TryComplete();
        _toPack.Writer.TryComplete();
        try
        {
            await Task.WhenAll([.. _sealers, _packer]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ForgeException or IOException or ChannelClosedException)
        {
            // Already reported through SaveAsync or CompleteAsync.
        }

        while (_toSeal.Reader.TryRead(out var blob))
        {
            _buffers.Return(blob.Buffer, blob.Length);
        }

        while (_toPack.Reader.TryRead(out var sealedBlob))
        {
            _buffers.Return(sealedBlob.Sealed, sealedBlob.SealedLength);
        }

        _buffers.Dispose();
        _failed.Dispose();
    }

    private readonly record struct PlainBlob(BlobType Type, BlobId Id, NativeBuffer Buffer, int Length);

    private readonly record struct SealedBlob(BlobType Type, BlobId Id, NativeBuffer Sealed, int SealedLength, int RawLength);
}
