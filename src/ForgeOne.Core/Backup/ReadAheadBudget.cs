namespace ForgeOne.Core.Backup;

/// <summary>
/// How much a backup may have asked the kernel to read ahead (<see cref="FileSystem.ReadAhead"/>) and not yet read:
/// the start of each file, up to a total, so a folder of many large files does not flood the page cache with reads
/// that would be evicted before their turn.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ReadAheadBudget(long perFile, long total)
{
    private long _outstanding;

    /// <summary>Bytes asked for and not yet given back.</summary>
    internal long Outstanding => Interlocked.Read(ref _outstanding);

    /// <summary>Takes room for the start of a file of <paramref name="size"/> bytes.</summary>
    /// <param name="size">The file's size.</param>
    /// <returns>Bytes to read ahead (at most the per-file share), or 0 when the total is reached; give them back with
    /// <see cref="Return"/> once the file is read.</returns>
    internal long Take(long size)
    {
        var length = Math.Min(size, perFile);
        if (length <= 0)
        {
            return 0;
        }

        if (Interlocked.Add(ref _outstanding, length) > total)
        {
            Interlocked.Add(ref _outstanding, -length);
            return 0;
        }

        return length;
    }

    /// <summary>Gives back what <see cref="Take"/> granted.</summary>
    /// <param name="length">The value <see cref="Take"/> returned.</param>
    internal void Return(long length) => Interlocked.Add(ref _outstanding, -length);
}
