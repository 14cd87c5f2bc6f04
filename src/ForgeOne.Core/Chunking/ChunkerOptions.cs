using System.Numerics;

namespace ForgeOne.Core.Chunking;

/// <summary>
/// Minimum, average and maximum chunk sizes for <see cref="FastCdcChunker"/>, validated on construction.
/// </summary>
/// <remarks>
/// <para>
/// The sizes are part of a repository's identity: changing any of them moves every chunk boundary, so
/// data written before and after the change no longer deduplicates. They are stored in the repository
/// configuration, not chosen per backup.
/// </para>
/// <para>
/// With normalized chunking (level 2) and <see cref="MinimumSize"/> = <see cref="AverageSize"/> / 2,
/// the observed mean chunk length on incompressible data is about 1.2 × <see cref="AverageSize"/>,
/// because no cut is possible below the minimum.
/// </para>
/// </remarks>
public sealed record ChunkerOptions
{
    /// <summary>The smallest allowed <see cref="MinimumSize"/>: 64 bytes.</summary>
    public const int MinimumSizeLowerBound = 64;

    /// <summary>The smallest allowed <see cref="AverageSize"/>: 256 bytes.</summary>
    public const int AverageSizeLowerBound = 256;

    /// <summary>The largest allowed <see cref="AverageSize"/>: 64 MiB.</summary>
    public const int AverageSizeUpperBound = 64 * 1024 * 1024;

    /// <summary>
    /// The largest allowed <see cref="MaximumSize"/>: 256 MiB. A streaming chunker holds two maximum-size
    /// chunks in memory, so this caps its buffer at 512 MiB.
    /// </summary>
    public const int MaximumSizeUpperBound = 256 * 1024 * 1024;

    /// <summary>The default options: minimum 512 KiB, average 1 MiB, maximum 8 MiB.</summary>
    public static ChunkerOptions Default { get; } = new(512 * 1024, 1024 * 1024, 8 * 1024 * 1024);

    /// <summary>Creates validated chunker options.</summary>
    /// <param name="minimumSize">No chunk except the last of a stream is shorter than this many bytes.</param>
    /// <param name="averageSize">The normalization point, a power of two; sets the cut probability per byte.</param>
    /// <param name="maximumSize">No chunk is longer than this many bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside its bounds, or
    /// <paramref name="averageSize"/> is not a power of two.</exception>
    /// <exception cref="ArgumentException">The sizes are not strictly increasing
    /// (<paramref name="minimumSize"/> &lt; <paramref name="averageSize"/> &lt; <paramref name="maximumSize"/>).</exception>
    public ChunkerOptions(int minimumSize, int averageSize, int maximumSize)
    {
        if (minimumSize < MinimumSizeLowerBound)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumSize), minimumSize,
                $"The minimum chunk size must be at least {MinimumSizeLowerBound} bytes.");
        }

        if (averageSize < AverageSizeLowerBound || averageSize > AverageSizeUpperBound)
        {
            throw new ArgumentOutOfRangeException(nameof(averageSize), averageSize,
                $"The average chunk size must be between {AverageSizeLowerBound} and {AverageSizeUpperBound} bytes.");
        }

        if (!BitOperations.IsPow2(averageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(averageSize), averageSize,
                "The average chunk size must be a power of two, because it selects how many hash bits a cut tests.");
        }

        if (maximumSize > MaximumSizeUpperBound)
        {
            throw new ArgumentOutOfRangeException(nameof(maximumSize), maximumSize,
                $"The maximum chunk size must be at most {MaximumSizeUpperBound} bytes.");
        }

        if (minimumSize >= averageSize)
        {
            throw new ArgumentException(
                $"The minimum chunk size ({minimumSize}) must be less than the average chunk size ({averageSize}).",
                nameof(minimumSize));
        }

        if (averageSize >= maximumSize)
        {
            throw new ArgumentException(
                $"The average chunk size ({averageSize}) must be less than the maximum chunk size ({maximumSize}).",
                nameof(maximumSize));
        }

        MinimumSize = minimumSize;
        AverageSize = averageSize;
        MaximumSize = maximumSize;
    }

    /// <summary>No chunk except the last of a stream is shorter than this many bytes.</summary>
    public int MinimumSize { get; }

    /// <summary>The normalization point (a power of two): below it cuts are rarer, above it more frequent.</summary>
    public int AverageSize { get; }

    /// <summary>No chunk is longer than this many bytes.</summary>
    public int MaximumSize { get; }
}
