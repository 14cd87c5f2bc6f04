namespace ForgeOne.Core.Backup;

/// <summary>Counters a backup keeps while it runs; thread-safe.</summary>
internal sealed class BackupStatistics
{
    private long _files;
    private long _directories;
    private long _logicalBytes;
    private long _addedBytes;
    private long _storedBytes;
    private long _bytesRead;

    internal long Files => Interlocked.Read(ref _files);

    internal long Directories => Interlocked.Read(ref _directories);

    internal long LogicalBytes => Interlocked.Read(ref _logicalBytes);

    /// <summary>Plaintext bytes of blobs the repository did not have yet.</summary>
    internal long AddedBytes => Interlocked.Read(ref _addedBytes);

    /// <summary>Bytes written to the repository: sealed blobs plus pack headers.</summary>
    internal long StoredBytes => Interlocked.Read(ref _storedBytes);

    /// <summary>File bytes actually read (unchanged files are not).</summary>
    internal long BytesRead => Interlocked.Read(ref _bytesRead);

    internal void AddFile(long size)
    {
        Interlocked.Increment(ref _files);
        Interlocked.Add(ref _logicalBytes, size);
    }

    internal void AddDirectory() => Interlocked.Increment(ref _directories);

    internal void AddNewBlob(long plaintextBytes) => Interlocked.Add(ref _addedBytes, plaintextBytes);

    internal void AddStored(long bytes) => Interlocked.Add(ref _storedBytes, bytes);

    internal void AddRead(long bytes) => Interlocked.Add(ref _bytesRead, bytes);
}
