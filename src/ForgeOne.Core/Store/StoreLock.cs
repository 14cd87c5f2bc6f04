namespace ForgeOne.Core.Store;

/// <summary>
/// The store's in-use lock: every open store holds it shared, and replacing a database file needs it exclusive,
/// so a restore never swaps a file under a running writer.
/// </summary>
/// <remarks>
/// Built on the operating system's file sharing: on Unix .NET takes a <c>flock</c> (shared for
/// <see cref="FileShare.ReadWrite"/>, exclusive for <see cref="FileShare.None"/>), on Windows the share mode does
/// the same. Both locks die with the process, so a killed process never leaves the store locked.
/// </remarks>
public sealed class StoreLock : IDisposable
{
    private readonly FileStream _stream;

    private StoreLock(FileStream stream, bool exclusive)
    {
        _stream = stream;
        IsExclusive = exclusive;
    }

    /// <summary>True for the exclusive lock.</summary>
    public bool IsExclusive { get; }

    /// <summary>Takes the shared lock that every user of the store holds.</summary>
    /// <param name="layout">The store.</param>
    /// <returns>The lock; dispose to release.</returns>
    /// <exception cref="StoreInUseException">A restore holds the store exclusively.</exception>
    public static StoreLock AcquireShared(StoreLayout layout) => Acquire(layout, exclusive: false);

    /// <summary>Takes the store for this caller alone, failing at once when anyone else has it open.</summary>
    /// <param name="layout">The store.</param>
    /// <returns>The lock; dispose to release.</returns>
    /// <exception cref="StoreInUseException">Another process (or another open store in this one) uses it.</exception>
    public static StoreLock AcquireExclusive(StoreLayout layout) => Acquire(layout, exclusive: true);

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();

    private static StoreLock Acquire(StoreLayout layout, bool exclusive)
    {
        try
        {
            var stream = new FileStream(layout.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite,
                exclusive ? FileShare.None : FileShare.ReadWrite);
            return new StoreLock(stream, exclusive);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new StoreInUseException(layout.Directory, ex);
        }
    }
}
