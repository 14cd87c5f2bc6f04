using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Computes a BLAKE3 hash incrementally: feed input with <see cref="Update(ReadOnlySpan{byte})"/> in pieces of any size, then read any
/// number of output bytes with <see cref="Finalize"/>.
/// </summary>
/// <remarks>
/// <para>
/// The state follows the reference implementation: one partly filled chunk plus a stack of chaining values of
/// complete subtrees. A large <see cref="Update(ReadOnlySpan{byte})"/> call hashes whole power-of-two subtrees straight from the
/// caller's memory, many chunks at once with SIMD and, above a few MiB, on several cores.
/// </para>
/// <para>An instance is not thread-safe. <see cref="Dispose"/> overwrites the key and all intermediate state.</para>
/// </remarks>
public sealed unsafe class Blake3Hasher : IDisposable
{
    private readonly uint _flags;
    private readonly Blake3Backend _backend;
    private Blake3Words8 _key;
    private Blake3ChunkState _chunk;
    private Blake3CvStack _cvStack;
    private int _cvStackLength;
    private bool _disposed;

    private Blake3Hasher(in Blake3Words8 key, uint flags, Blake3Backend backend)
    {
        _key = key;
        _flags = flags;
        _backend = Blake3Dispatch.Resolve(backend);
        _chunk = new Blake3ChunkState(key, 0, flags);
    }

    /// <summary>
    /// The most threads one <see cref="Update(ReadOnlySpan{byte})"/> call may use; -1 means one per processor, 1 hashes on the calling
    /// thread only.
    /// </summary>
    internal int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>Creates a hasher for the default (unkeyed) hash mode.</summary>
    /// <returns>A hasher with no input yet.</returns>
    public static Blake3Hasher Create() => Create(Blake3Backend.Auto);

    /// <summary>Creates a hasher for the keyed hash mode, a message authentication code (PRF) under <paramref name="key"/>.</summary>
    /// <param name="key">Exactly <see cref="Blake3.KeySize"/> (32) secret bytes; the hasher keeps a copy.</param>
    /// <returns>A hasher with no input yet.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes long.</exception>
    public static Blake3Hasher CreateKeyed(ReadOnlySpan<byte> key) => CreateKeyed(key, Blake3Backend.Auto);

    /// <summary>
    /// Creates a hasher for the key derivation mode: the input is key material and the output a key bound to
    /// <paramref name="context"/>.
    /// </summary>
    /// <param name="context">
    /// A hard-coded, globally unique string naming the application and purpose, such as
    /// <c>"ForgeOne 2025-01-01 pack encryption key"</c>; it is hashed as UTF-8.
    /// </param>
    /// <returns>A hasher with no input yet.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public static Blake3Hasher CreateDeriveKey(string context) => CreateDeriveKey(context, Blake3Backend.Auto);

    internal static Blake3Hasher Create(Blake3Backend backend) => new(Blake3Compression.IV, 0, backend);

    internal static Blake3Hasher CreateKeyed(ReadOnlySpan<byte> key, Blake3Backend backend)
    {
        Blake3.ValidateKey(key);
        return new Blake3Hasher(Blake3Compression.BytesToWords(key), Blake3Compression.KeyedHash, backend);
    }

    internal static Blake3Hasher CreateDeriveKey(string context, Blake3Backend backend)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Blake3Hasher(ContextKey(context, backend), Blake3Compression.DeriveKeyMaterial, backend);
    }

    /// <summary>Hashes the context string into the key that derive_key mode uses for the key material.</summary>
    [SkipLocalsInit]
    internal static Blake3Words8 ContextKey(string context, Blake3Backend backend)
    {
        // Context strings are short constants, so encode on the stack and keep DeriveKey free of allocations.
        int byteCount = Encoding.UTF8.GetByteCount(context);
        byte[]? rented = byteCount > 256 ? ArrayPool<byte>.Shared.Rent(byteCount) : null;
        try
        {
            Span<byte> contextBytes = rented is null ? stackalloc byte[256] : rented;
            contextBytes = contextBytes[..Encoding.UTF8.GetBytes(context, contextBytes)];
            Span<byte> contextKey = stackalloc byte[Blake3Compression.KeyLength];
            Blake3.HashAllAtOnce(contextBytes, Blake3Compression.IV, Blake3Compression.DeriveKeyContext, Blake3Dispatch.Resolve(backend), 1)
                .RootBytes(contextKey);
            return Blake3Compression.BytesToWords(contextKey);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Adds input to the hash.</summary>
    /// <param name="input">The next bytes of the message; any length, including empty.</param>
    /// <exception cref="ObjectDisposedException">The hasher has been disposed.</exception>
    public void Update(ReadOnlySpan<byte> input)
    {
        fixed (byte* pointer = input)
        {
            Update(pointer, input.Length);
        }
    }

    /// <summary>Adds <paramref name="length"/> bytes at <paramref name="input"/>, which may exceed 2 GiB (a memory-mapped file).</summary>
    [SkipLocalsInit]
    internal void Update(byte* input, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> cv = stackalloc byte[Blake3Compression.OutLength];

        // Finish a partly filled chunk first.
        if (_chunk.Length > 0)
        {
            int take = (int)Math.Min(Blake3Compression.ChunkLength - _chunk.Length, length);
            _chunk.Update(new ReadOnlySpan<byte>(input, take));
            input += take;
            length -= take;
            if (length == 0)
            {
                return;
            }

            // The chunk is full and more input follows, so it is not the root and can be finished now.
            _chunk.Output().ChainingValue(cv);
            PushCv(cv, _chunk.ChunkCounter);
            _chunk = new Blake3ChunkState(_key, _chunk.ChunkCounter + 1, _flags);
        }

        // Hash the largest whole subtrees possible straight from the input. A subtree must be a power-of-two number
        // of chunks (only the right edge of the tree may be incomplete) and must evenly divide the chunks hashed so
        // far, or it would not line up with the tree.
        Blake3Words8 key = _key;
        byte* pair = stackalloc byte[2 * Blake3Compression.OutLength];
        while (length > Blake3Compression.ChunkLength)
        {
            ulong subtreeLength = Blake3Tree.LargestPowerOfTwoAtMost((ulong)length);
            ulong countSoFar = _chunk.ChunkCounter * Blake3Compression.ChunkLength;
            while (((subtreeLength - 1) & countSoFar) != 0)
            {
                subtreeLength /= 2;
            }

            ulong subtreeChunks = subtreeLength / Blake3Compression.ChunkLength;
            if (subtreeLength <= Blake3Compression.ChunkLength)
            {
                var single = new Blake3ChunkState(_key, _chunk.ChunkCounter, _flags);
                single.Update(new ReadOnlySpan<byte>(input, Blake3Compression.ChunkLength));
                single.Output().ChainingValue(cv);
                PushCv(cv, _chunk.ChunkCounter);
            }
            else
            {
                Blake3Tree.CompressSubtreeToParentNode(input, (long)subtreeLength, (uint*)&key, _chunk.ChunkCounter, _flags,
                    _backend, MaxDegreeOfParallelism, pair);

                // Pushing both halves (rather than their parent) keeps the stack's lazy merging from ever
                // compressing what may turn out to be the root.
                PushCv(new ReadOnlySpan<byte>(pair, Blake3Compression.OutLength), _chunk.ChunkCounter);
                PushCv(new ReadOnlySpan<byte>(pair + Blake3Compression.OutLength, Blake3Compression.OutLength),
                    _chunk.ChunkCounter + subtreeChunks / 2);
            }

            _chunk.ChunkCounter += subtreeChunks;
            input += subtreeLength;
            length -= (long)subtreeLength;
        }

        // At most one chunk remains.
        if (length > 0)
        {
            _chunk.Update(new ReadOnlySpan<byte>(input, (int)length));

            // With input in the chunk, nothing on the stack can be the root any more, so merge eagerly; that
            // keeps Finalize simple.
            MergeCvStack(_chunk.ChunkCounter);
        }
    }

    /// <summary>
    /// Writes the hash of everything added so far. Any output length is allowed (extended output); the first 32 bytes
    /// are the standard hash. The state is unchanged, so more input may follow and this may be called again.
    /// </summary>
    /// <param name="output">Filled entirely with output bytes.</param>
    /// <exception cref="ObjectDisposedException">The hasher has been disposed.</exception>
    public void Finalize(Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FinalOutput().RootBytes(output);
    }

    /// <summary>The hash of everything added so far as lowercase hex, as b3sum and ForgeOne's formats write it.</summary>
    /// <param name="outputLength">Bytes of output; 32 is the standard hash.</param>
    /// <exception cref="ObjectDisposedException">The hasher has been disposed.</exception>
    public string FinalizeHex(int outputLength = Blake3.HashSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputLength, 1);
        var output = outputLength <= 256 ? stackalloc byte[outputLength] : new byte[outputLength];
        Finalize(output);
        return ObjectNames.ToHex(output);
    }

    /// <summary>Discards all input, keeping the mode and key, so the instance can hash another message.</summary>
    /// <exception cref="ObjectDisposedException">The hasher has been disposed.</exception>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ((Span<byte>)_cvStack).Clear();
        _cvStackLength = 0;
        _chunk = new Blake3ChunkState(_key, 0, _flags);
    }

    /// <summary>Overwrites the key and all intermediate state; the hasher cannot be used afterwards.</summary>
    public void Dispose()
    {
        ((Span<uint>)_key).Clear();
        ((Span<byte>)_cvStack).Clear();
        _cvStackLength = 0;
        _chunk.Clear();
        _disposed = true;
    }

    private void PushCv(ReadOnlySpan<byte> cv, ulong chunkCounter)
    {
        MergeCvStack(chunkCounter);
        cv.CopyTo(((Span<byte>)_cvStack)[(_cvStackLength * Blake3Compression.OutLength)..]);
        _cvStackLength++;
    }

    /// <summary>
    /// Merges completed subtrees: after <paramref name="totalChunks"/> chunks, the stack holds one chaining value per
    /// set bit of the count.
    /// </summary>
    private void MergeCvStack(ulong totalChunks)
    {
        int targetLength = BitOperations.PopCount(totalChunks);
        Span<byte> stack = _cvStack;
        while (_cvStackLength > targetLength)
        {
            Span<byte> children = stack.Slice((_cvStackLength - 2) * Blake3Compression.OutLength, 2 * Blake3Compression.OutLength);
            Blake3Output.ForParent(children, _key, _flags).ChainingValue(children[..Blake3Compression.OutLength]);
            _cvStackLength--;
        }
    }

    [SkipLocalsInit]
    private Blake3Output FinalOutput()
    {
        if (_cvStackLength == 0)
        {
            return _chunk.Output();
        }

        ReadOnlySpan<byte> stack = _cvStack;
        Blake3Output output;
        int remaining = _cvStackLength;
        if (_chunk.Length > 0)
        {
            // Update merged the stack already, so the chunk simply joins every subtree on it.
            output = _chunk.Output();
        }
        else
        {
            // No partial chunk: the top two entries are the last pair of siblings.
            output = Blake3Output.ForParent(stack.Slice((remaining - 2) * Blake3Compression.OutLength, 2 * Blake3Compression.OutLength), _key, _flags);
            remaining -= 2;
        }

        Span<byte> block = stackalloc byte[Blake3Compression.BlockLength];
        while (remaining > 0)
        {
            stack.Slice((remaining - 1) * Blake3Compression.OutLength, Blake3Compression.OutLength).CopyTo(block);
            output.ChainingValue(block[Blake3Compression.OutLength..]);
            output = Blake3Output.ForParent(block, _key, _flags);
            remaining--;
        }

        return output;
    }
}
