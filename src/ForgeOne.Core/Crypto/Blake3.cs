using System.Buffers;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// One-shot BLAKE3 hashing in its three modes (hash, keyed hash, derive key), with extended output of any length,
/// and hashing of files and streams.
/// </summary>
/// <remarks>
/// <para>
/// BLAKE3 is hand-written here because neither the platform nor our package source provides it: .NET has no
/// BLAKE3, and no BLAKE3 package is served from the NuGet feed we build from. The code follows the
/// reference implementation's structure (chunk state, chaining-value stack, <c>compress_subtree_wide</c>,
/// <c>hash_many</c>) and is checked against the official test vectors and <c>b3sum</c>.
/// </para>
/// <para>
/// Bulk data is hashed by a many-input kernel that compresses 4, 8 or 16 whole chunks (or parent nodes) at once,
/// one per lane of a <see cref="System.Runtime.Intrinsics.Vector128{T}"/>, <see cref="System.Runtime.Intrinsics.Vector256{T}"/>
/// or <see cref="System.Runtime.Intrinsics.Vector512{T}"/>. The widest one the CPU accelerates is chosen once at
/// startup (AVX-512F, then AVX2, then SSE2 or AdvSimd, else portable scalar code); rotations use AVX-512 rotate
/// instructions where available and byte shuffles or shifts otherwise. Inputs of several MiB are split into
/// power-of-two subtrees hashed on several cores and merged exactly as the reference Rust crate's
/// <c>update_rayon</c> does, so the result never depends on the thread count.
/// </para>
/// </remarks>
public static class Blake3
{
    /// <summary>The default output length in bytes (256 bits).</summary>
    public const int HashSize = 32;

    /// <summary>The length in bytes of a key for the keyed hash mode.</summary>
    public const int KeySize = 32;

    // Below this, mapping a file costs more than reading it (the same cut-off b3sum uses).
    private const long MemoryMapThreshold = 16 * 1024;

    private const int StreamBufferSize = 1 << 20;

    /// <summary>Computes the 32-byte BLAKE3 hash of <paramref name="input"/>.</summary>
    /// <param name="input">The message.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] Hash(ReadOnlySpan<byte> input)
    {
        byte[] output = new byte[HashSize];
        Hash(input, output);
        return output;
    }

    /// <summary>
    /// Computes the BLAKE3 hash of <paramref name="input"/> with an output of any length (extended output); the
    /// first 32 bytes are the standard hash.
    /// </summary>
    /// <param name="input">The message.</param>
    /// <param name="output">Filled entirely with output bytes.</param>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output) => Hash(input, output, Blake3Backend.Auto);

    /// <summary>
    /// Computes the keyed BLAKE3 hash (a message authentication code) of <paramref name="input"/> under
    /// <paramref name="key"/>, with an output of any length.
    /// </summary>
    /// <param name="key">Exactly <see cref="KeySize"/> (32) secret bytes.</param>
    /// <param name="input">The message.</param>
    /// <param name="output">Filled entirely with output bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes long.</exception>
    public static void KeyedHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output) =>
        KeyedHash(key, input, output, Blake3Backend.Auto);

    /// <summary>
    /// Derives a key of any length from <paramref name="keyMaterial"/> for the purpose named by
    /// <paramref name="context"/> (BLAKE3's derive_key mode).
    /// </summary>
    /// <param name="context">
    /// A hard-coded, globally unique string naming the application and purpose, such as
    /// <c>"ForgeOne 2025-01-01 pack encryption key"</c>; it is hashed as UTF-8.
    /// </param>
    /// <param name="keyMaterial">The secret input keying material.</param>
    /// <param name="output">Filled entirely with the derived key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public static void DeriveKey(string context, ReadOnlySpan<byte> keyMaterial, Span<byte> output) =>
        DeriveKey(context, keyMaterial, output, Blake3Backend.Auto);

    /// <summary>
    /// Computes the BLAKE3 hash (or, with a key, the keyed hash) of a file's contents. Files of 16 KiB and more are
    /// memory-mapped and, when large, hashed on several cores; smaller files and non-seekable files are read.
    /// </summary>
    /// <remarks>
    /// As with <c>b3sum</c>, the file must not be truncated by another process while it is hashed: reading a mapped
    /// page past the new end raises SIGBUS, which ends the process. For files that may be changing, hash a stream
    /// with <see cref="HashStreamAsync"/> instead.
    /// </remarks>
    /// <param name="path">The file to hash.</param>
    /// <param name="key">Empty for the unkeyed hash, or exactly <see cref="KeySize"/> (32) bytes for the keyed hash.</param>
    /// <param name="outputLength">How many output bytes to return (extended output beyond 32).</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use; -1 means one per processor, 1 only the calling thread.</param>
    /// <returns>A new array of <paramref name="outputLength"/> bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is neither empty nor 32 bytes long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="outputLength"/> is negative, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.
    /// </exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The caller may not read the file.</exception>
    public static byte[] HashFile(string path, ReadOnlySpan<byte> key = default, int outputLength = HashSize, int maxDegreeOfParallelism = -1) =>
        HashFile(path, key, outputLength, maxDegreeOfParallelism, Blake3Backend.Auto);

    /// <summary>Computes the 32-byte BLAKE3 hash of everything read from <paramref name="stream"/> until its end.</summary>
    /// <param name="stream">A readable stream, read from its current position; it is not disposed.</param>
    /// <param name="cancellationToken">Stops reading; the partial hash is discarded.</param>
    /// <returns>A new 32-byte array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<byte[]> HashStreamAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using Blake3Hasher hasher = Blake3Hasher.Create();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        byte[] output = new byte[HashSize];
        hasher.Finalize(output);
        return output;
    }

    internal static void Hash(ReadOnlySpan<byte> input, Span<byte> output, Blake3Backend backend, int maxDegreeOfParallelism = -1) =>
        HashAllAtOnce(input, Blake3Compression.IV, 0, Blake3Dispatch.Resolve(backend), maxDegreeOfParallelism).RootBytes(output);

    internal static void KeyedHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output, Blake3Backend backend, int maxDegreeOfParallelism = -1)
    {
        ValidateKey(key);
        HashAllAtOnce(input, Blake3Compression.BytesToWords(key), Blake3Compression.KeyedHash, Blake3Dispatch.Resolve(backend), maxDegreeOfParallelism)
            .RootBytes(output);
    }

    internal static void DeriveKey(string context, ReadOnlySpan<byte> keyMaterial, Span<byte> output, Blake3Backend backend, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(context);
        HashAllAtOnce(keyMaterial, Blake3Hasher.ContextKey(context, backend), Blake3Compression.DeriveKeyMaterial,
            Blake3Dispatch.Resolve(backend), maxDegreeOfParallelism).RootBytes(output);
    }

    internal static byte[] HashFile(string path, ReadOnlySpan<byte> key, int outputLength, int maxDegreeOfParallelism, Blake3Backend backend)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!key.IsEmpty)
        {
            ValidateKey(key);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(outputLength);
        ValidateParallelism(maxDegreeOfParallelism);

        Blake3Words8 keyWords = key.IsEmpty ? Blake3Compression.IV : Blake3Compression.BytesToWords(key);
        uint flags = key.IsEmpty ? 0 : Blake3Compression.KeyedHash;
        Blake3Backend resolved = Blake3Dispatch.Resolve(backend);
        byte[] output = new byte[outputLength];

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        long length = file.CanSeek ? file.Length : 0;
        if (length >= MemoryMapThreshold && TryHashMapped(file, length, keyWords, flags, resolved, maxDegreeOfParallelism, output))
        {
            return output;
        }

        // Small, empty-looking (procfs), non-seekable or unmappable files are read to their real end.
        using Blake3Hasher hasher = key.IsEmpty ? Blake3Hasher.Create(backend) : Blake3Hasher.CreateKeyed(key, backend);
        hasher.MaxDegreeOfParallelism = maxDegreeOfParallelism;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        hasher.Finalize(output);
        return output;
    }

    /// <summary>Hashes the file through a read-only mapping; false if it cannot be mapped, with the file position unchanged.</summary>
    private static unsafe bool TryHashMapped(FileStream file, long length, in Blake3Words8 key, uint flags, Blake3Backend resolved,
        int maxDegreeOfParallelism, byte[] output)
    {
        MemoryMappedFile map;
        MemoryMappedViewAccessor view;
        try
        {
            map = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: true);
        }
        catch (IOException)
        {
            return false;
        }

        using (map)
        {
            try
            {
                view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            }
            catch (IOException)
            {
                return false;
            }

            using (view)
            {
                byte* pointer = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
                try
                {
                    HashAllAtOnce(pointer + view.PointerOffset, length, key, flags, resolved, maxDegreeOfParallelism).RootBytes(output);
                    return true;
                }
                finally
                {
                    view.SafeMemoryMappedViewHandle.ReleasePointer();
                }
            }
        }
    }

    internal static unsafe Blake3Output HashAllAtOnce(ReadOnlySpan<byte> input, in Blake3Words8 key, uint flags, Blake3Backend resolved, int maxDegreeOfParallelism)
    {
        fixed (byte* pointer = input)
        {
            return HashAllAtOnce(pointer, input.Length, key, flags, resolved, maxDegreeOfParallelism);
        }
    }

    /// <summary>Hashes a whole message and returns its root node, ready for output of any length.</summary>
    [SkipLocalsInit]
    internal static unsafe Blake3Output HashAllAtOnce(byte* input, long length, in Blake3Words8 key, uint flags, Blake3Backend resolved, int maxDegreeOfParallelism)
    {
        if (length <= Blake3Compression.ChunkLength)
        {
            var chunk = new Blake3ChunkState(key, 0, flags);
            chunk.Update(new ReadOnlySpan<byte>(input, (int)length));
            return chunk.Output();
        }

        Blake3Words8 keyCopy = key;
        byte* pair = stackalloc byte[2 * Blake3Compression.OutLength];
        Blake3Tree.CompressSubtreeToParentNode(input, length, (uint*)&keyCopy, 0, flags, resolved, maxDegreeOfParallelism, pair);
        return Blake3Output.ForParent(new ReadOnlySpan<byte>(pair, 2 * Blake3Compression.OutLength), key, flags);
    }

    internal static void ValidateKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A BLAKE3 key must be exactly {KeySize} bytes; this one is {key.Length}.", nameof(key));
        }
    }

    internal static void ValidateParallelism(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism,
                "Use -1 for one thread per processor, or a positive thread count.");
        }
    }
}
