using ForgeOne.Core.Chunking;
using ForgeOne.Core.Compression;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>Settings for a new repository (<see cref="Repository.InitAsync"/>). All optional.</summary>
public sealed class RepositoryInitOptions
{
    private readonly int _packSize = RepositoryConfig.DefaultPackSize;
    private readonly int _compressionLevel = ChunkCompressor.DefaultLevel;

    /// <summary>Argon2id costs for the first key slot when it is a passphrase slot; null for
    /// <see cref="Argon2Parameters.Default"/>. Ignored for a key-file slot.</summary>
    public Argon2Parameters? Argon2 { get; init; }

    /// <summary>Chunk sizes, fixed for the repository's life; null for <see cref="ChunkerOptions.Default"/>
    /// (512 KiB / 1 MiB / 8 MiB).</summary>
    public ChunkerOptions? Chunker { get; init; }

    /// <summary>Target pack size in bytes; default <see cref="RepositoryConfig.DefaultPackSize"/> (16 MiB).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is outside <see cref="RepositoryConfig.MinimumPackSize"/>
    /// to <see cref="RepositoryConfig.MaximumPackSize"/>.</exception>
    public int PackSize
    {
        get => _packSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, RepositoryConfig.MinimumPackSize);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, RepositoryConfig.MaximumPackSize);
            _packSize = value;
        }
    }

    /// <summary>zstd level for blobs and objects, 1 to 19; default 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside 1 to 19.</exception>
    public int CompressionLevel
    {
        get => _compressionLevel;
        init
        {
            ChunkCompressor.ThrowIfLevelOutOfRange(value, nameof(value));
            _compressionLevel = value;
        }
    }
}
