using ZstdSharp;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Minimal zstd step for the envelope (codec byte 1), via ZstdSharp. Temporary: the lead will route the
/// envelope through the shared <c>ForgeOne.Core.Compression.ChunkCompressor</c> through
/// <see cref="IEnvelopeCompression"/>.
/// </summary>
/// <remarks>
/// ZstdSharp contexts are not thread-safe and cost about 90 µs to create (measured; a 100-byte compress on a
/// reused context costs 9 µs), so each instance keeps a small pool of them. Thread-safe.
/// </remarks>
internal sealed class EnvelopeCompression : IEnvelopeCompression, IDisposable
{
    private readonly int _level;
    private readonly int _maxPooled = Math.Max(2, Environment.ProcessorCount);
    private readonly Stack<Compressor> _compressors = new();
    private readonly Stack<Decompressor> _decompressors = new();
    private readonly object _gate = new();
    private bool _disposed;

    public EnvelopeCompression(int level)
    {
        _level = level;
    }

    public bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        var compressor = RentCompressor();
        try
        {
            // TryWrap reports "destination too small" as false; that is the does-not-pay signal.
            return compressor.TryWrap(source, destination, out written);
        }
        finally
        {
            Return(_compressors, compressor);
        }
    }

    public long GetDecompressedLengthHint(ReadOnlySpan<byte> source)
    {
        try
        {
            var length = Decompressor.GetDecompressedSize(source);
            return length > long.MaxValue ? long.MaxValue : (long)length;
        }
        catch (ZstdException ex)
        {
            throw new InvalidDataException("The zstd frame header is invalid.", ex);
        }
    }

    public bool TryDecompress(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        var decompressor = RentDecompressor();
        try
        {
            return decompressor.TryUnwrap(source, destination, out written);
        }
        catch (ZstdException ex)
        {
            throw new InvalidDataException("The zstd frame does not decode.", ex);
        }
        finally
        {
            Return(_decompressors, decompressor);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_compressors.TryPop(out var c))
            {
                c.Dispose();
            }

            while (_decompressors.TryPop(out var d))
            {
                d.Dispose();
            }
        }
    }

    private Compressor RentCompressor()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_compressors.TryPop(out var compressor))
            {
                return compressor;
            }
        }

        return new Compressor(_level);
    }

    private Decompressor RentDecompressor()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_decompressors.TryPop(out var decompressor))
            {
                return decompressor;
            }
        }

        return new Decompressor();
    }

    private void Return<T>(Stack<T> pool, T item)
        where T : IDisposable
    {
        lock (_gate)
        {
            if (!_disposed && pool.Count < _maxPooled)
            {
                pool.Push(item);
                return;
            }
        }

        item.Dispose();
    }
}
