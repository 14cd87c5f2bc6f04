using System.Buffers;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Storage;

/// <summary>A storage backend in a local folder (or a mounted network share): one file per object.</summary>
/// <remarks>
/// <para>
/// The object <c>data/3f/3f2a…</c> is the file <c>&lt;root&gt;/data/3f/3f2a…</c>; folders are created as needed
/// and never removed. Writes go to a uniquely named file in <see cref="TemporaryDirectory"/>
/// (<c>&lt;root&gt;/~tmp</c>; '~' cannot occur in an object name, so the folder can never collide with an object),
/// are flushed to disk, and are then given their final name with an atomic no-replace move (see
/// <c>NoReplaceFileMove</c>): <c>renameat2(RENAME_NOREPLACE)</c> on Linux, <c>link</c> + <c>unlink</c> on other Unix
/// systems, <c>MoveFileEx</c> without replace on Windows. The move either gives the complete file its name or
/// fails because the name is taken, so readers never see a partial object and concurrent writers of one name
/// cannot overwrite each other. The destination folder and its parents up to the root are then flushed with
/// <c>fsync</c> on Unix, so the new name survives a power failure.
/// </para>
/// <para>
/// A killed writer leaves only a file in the temporary folder, which listing skips, which never blocks a write (each
/// write uses a new random file name) and which <see cref="CleanupTemporaryFilesAsync"/> removes.
/// </para>
/// <para>
/// The root folder is created by the first write. A missing root reads as an empty repository: stat returns null,
/// listing returns nothing. On file systems that ignore case (Windows, macOS by default) names that differ only in
/// case are the same object; on Windows a segment that ends with '.' or is a reserved device name (<c>CON</c>,
/// <c>NUL</c>, …) is not stored faithfully. The repository's own names (lower-case hex in fixed folders) avoid both.
/// The file system must support hard links or <c>RENAME_NOREPLACE</c> on Unix; otherwise writes fail with a
/// <see cref="StorageException"/> instead of losing atomicity.
/// </para>
/// <para>
/// Thread-safe; many instances and processes may use one root at once. Disposing does nothing, because no handle is
/// held between calls.
/// </para>
/// </remarks>
public sealed class LocalStorageBackend : IStorageBackend
{
    /// <summary>The name of the folder under the root that holds unfinished writes.</summary>
    public const string TemporaryFolderName = "~tmp";

    private const string TemporaryFileExtension = ".tmp";
    // Enough to keep a write's system-call cost out of sight (128 writes per 16 MiB pack). The shared pool keeps one
    // per thread that rents it, and a backup's pack writes move between threads: at 1 MiB that was 3 to 5 MiB resident.
    private const int CopyBufferSize = 128 * 1024;

    private readonly string _rootWithSeparator;
    private readonly NoReplaceFileMove.Method _moveMethod;

    /// <summary>Creates a backend over a folder; nothing on disk is touched until the first call.</summary>
    /// <param name="rootDirectory">The repository folder, absolute or relative to the current directory.</param>
    /// <exception cref="ArgumentException"><paramref name="rootDirectory"/> is null, empty, blank or not a valid path.</exception>
    public LocalStorageBackend(string rootDirectory)
        : this(rootDirectory, NoReplaceFileMove.Method.Automatic)
    {
    }

    internal LocalStorageBackend(string rootDirectory, NoReplaceFileMove.Method moveMethod)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        _rootWithSeparator = Path.EndsInDirectorySeparator(RootDirectory)
            ? RootDirectory
            : RootDirectory + Path.DirectorySeparatorChar;
        TemporaryDirectory = Path.Join(RootDirectory, TemporaryFolderName);
        _moveMethod = moveMethod;
    }

    /// <summary>The full path of the repository folder.</summary>
    public string RootDirectory { get; }

    /// <summary>
    /// The full path of the folder holding unfinished writes. Files in it are never objects; those older than the
    /// longest possible write are leftovers of killed processes.
    /// </summary>
    public string TemporaryDirectory { get; }

    /// <summary>The full path of the repository folder.</summary>
    public string Location => RootDirectory;

    /// <inheritdoc/>
    /// <remarks>
    /// Walks only the folder named by the prefix's complete segments, lazily, one directory entry at a time, so huge
    /// repositories are never held in memory. Files whose names are not valid object names (a stray <c>notes.txt
    /// </c> is valid, <c>Thumbs db</c> is not) and the temporary folder are skipped. Order is whatever the file
    /// system returns, which differs between file systems.
    /// </remarks>
    public async IAsyncEnumerable<StorageObject> ListAsync(string prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StorageName.ValidatePrefix(prefix);
        cancellationToken.ThrowIfCancellationRequested();

        // Matches can only be below the folder named by the complete segments ("data/3" → "data").
        var lastSeparator = prefix.LastIndexOf(StorageName.Separator);
        var start = lastSeparator <= 0 ? RootDirectory : ToPath(prefix[..lastSeparator]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            // The defaults skip hidden files, which on Unix means every name starting with '.'.
            AttributesToSkip = 0,
            // A folder that cannot be read must fail the listing: silently missing objects could make a check
            // pass or a prune delete data that is still referenced.
            IgnoreInaccessible = false,
        };
        var entries = new FileSystemEnumerable<StorageObject?>(start, ToStorageObject, options)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
            ShouldRecursePredicate = static (ref FileSystemEntry entry) =>
                !entry.FileName.SequenceEqual(TemporaryFolderName),
        };

        IEnumerator<StorageObject?> enumerator;
        try
        {
            // Opens the first folder right away.
            enumerator = entries.GetEnumerator();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ListingFailure(prefix, ex);
        }

        using (enumerator)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                StorageObject? current;
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        break;
                    }

                    current = enumerator.Current;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw ListingFailure(prefix, ex);
                }

                if (current is not null && current.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    yield return current;
                }
            }
        }
    }

    /// <inheritdoc/>
    public Task<StorageObject?> StatAsync(string name, CancellationToken cancellationToken = default) =>
        RunSynchronously(() =>
        {
            StorageName.Validate(name);
            var file = new FileInfo(ToPath(name));

            // FileInfo caches what it read on first access, so Exists and Length describe the same file. A folder
            // is not an object: Exists is false for it.
            return file.Exists ? new StorageObject(name, file.Length) : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<int> ReadAsync(string name, long offset, Memory<byte> buffer,
        CancellationToken cancellationToken = default)
    {
        StorageName.Validate(name);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();

        using var handle = OpenForReading(name, FileOptions.Asynchronous | FileOptions.RandomAccess);
        var total = 0;
        while (total < buffer.Length)
        {
            int read;
            try
            {
                read = await RandomAccess.ReadAsync(handle, buffer[total..], offset + total, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw Failure("read", name, ex);
            }

            // pread may return less than asked before the end (signals, network file systems); only 0 is the end.
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The stream is a <see cref="FileStream"/>; a failure while reading it surfaces as an <see cref="IOException"/>.
    /// It allows the object to be deleted while open.
    /// </remarks>
    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        RunSynchronously<Stream>(() =>
        {
            StorageName.Validate(name);
            var handle = OpenForReading(name, FileOptions.Asynchronous | FileOptions.SequentialScan);
            try
            {
                return new FileStream(handle, FileAccess.Read, bufferSize: 4096, isAsync: true);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task WriteOnceAsync(string name, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken = default)
    {
        StorageName.Validate(name);
        await WriteCoreAsync(name, content.Length,
            (file, token) => WriteToFileAsync(file, name, content, token), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task WriteOnceAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        StorageName.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead)
        {
            throw new ArgumentException($"The content stream for object '{name}' must be readable.", nameof(content));
        }

        await WriteCoreAsync(name, preallocationSize: 0,
            (file, token) => CopyToFileAsync(content, file, name, token), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        RunSynchronously(() =>
        {
            StorageName.Validate(name);
            var path = ToPath(name);
            try
            {
                // File.Delete succeeds for a missing file but throws when its folder is missing.
                File.Delete(path);
            }
            catch (DirectoryNotFoundException)
            {
                // Missing object: deleting is idempotent.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (Directory.Exists(path))
                {
                    // A folder of other objects is not an object named this, so there is nothing to delete.
                    return true;
                }

                throw Failure("delete", name, ex);
            }

            return true;
        }, cancellationToken);

    /// <summary>
    /// Removes files left in <see cref="TemporaryDirectory"/> by writes that were killed before they finished.
    /// </summary>
    /// <param name="olderThan">
    /// Only files not modified for this long are removed. Use more than the longest write can take (an hour is
    /// safe): removing the file of a write still running makes that write fail (it never corrupts an object).
    /// </param>
    /// <param name="cancellationToken">Stops the cleanup between files.</param>
    /// <returns>The number of files removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="olderThan"/> is negative.</exception>
    /// <exception cref="StorageException">The temporary folder could not be read.</exception>
    /// <remarks>
    /// A file that cannot be removed (on Windows, one a running write holds open) is skipped and not counted.
    /// </remarks>
    public Task<int> CleanupTemporaryFilesAsync(TimeSpan olderThan, CancellationToken cancellationToken = default) =>
        RunSynchronously(() =>
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(olderThan, TimeSpan.Zero);
            var cutoff = DateTime.UtcNow - olderThan;
            var removed = 0;
            try
            {
                if (!Directory.Exists(TemporaryDirectory))
                {
                    return 0;
                }

                var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false };
                foreach (var file in new DirectoryInfo(TemporaryDirectory).EnumerateFiles("*", options))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (file.LastWriteTimeUtc > cutoff)
                    {
                        continue;
                    }

                    try
                    {
                        file.Delete();
                        removed++;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // In use or already gone; a later cleanup retries.
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StorageException(
                    $"Could not clean up temporary files in '{TemporaryDirectory}': {ex.Message} " +
                    "Check that this account may read and modify that folder.", ex);
            }

            return removed;
        }, cancellationToken);

    /// <summary>Does nothing: the backend holds no handles between calls.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public override string ToString() => RootDirectory;

    private async Task WriteCoreAsync(string name, long preallocationSize,
        Func<FileStream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var finalPath = ToPath(name);

        // Fail before copying a large stream when the outcome is already known. Only the no-replace move below
        // decides races.
        if (File.Exists(finalPath))
        {
            throw new ObjectExistsException(name, Location);
        }

        var temporaryPath = Path.Join(TemporaryDirectory, Guid.NewGuid().ToString("N") + TemporaryFileExtension);
        var placed = false;
        try
        {
            try
            {
                Directory.CreateDirectory(TemporaryDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Failure("write", name, ex);
            }

            await WriteTemporaryFileAsync(name, temporaryPath, preallocationSize, writeContent, cancellationToken)
                .ConfigureAwait(false);

            // The last point where cancelling still leaves nothing behind.
            cancellationToken.ThrowIfCancellationRequested();

            var directory = Path.GetDirectoryName(finalPath)!;
            try
            {
                Directory.CreateDirectory(directory);
                placed = NoReplaceFileMove.TryMove(temporaryPath, finalPath, _moveMethod);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Failure("write", name, ex);
            }

            if (!placed)
            {
                if (Directory.Exists(finalPath))
                {
                    throw new StorageException(
                        $"Could not write object '{name}' in local repository '{RootDirectory}': a folder of other " +
                        "objects has that name. A name cannot be both an object and the folder of other objects; " +
                        "use another name.");
                }

                throw new ObjectExistsException(name, Location);
            }

            FlushDirectories(name, directory);
        }
        finally
        {
            if (!placed)
            {
                TryDeleteFile(temporaryPath);
            }
        }
    }

    private static async Task WriteTemporaryFileAsync(string name, string temporaryPath, long preallocationSize,
        Func<FileStream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(temporaryPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
                PreallocationSize = preallocationSize,
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FailureForWrite(name, temporaryPath, ex);
        }

        await using (file.ConfigureAwait(false))
        {
            await writeContent(file, cancellationToken).ConfigureAwait(false);
            try
            {
                // Data must be on disk before the name is: otherwise a power failure can leave the final name
                // pointing at a file with missing or zeroed content.
                file.Flush(flushToDisk: true);
            }
            catch (IOException ex)
            {
                throw FailureForWrite(name, temporaryPath, ex);
            }
        }
    }

    private static async Task WriteToFileAsync(FileStream file, string name, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken)
    {
        try
        {
            await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw FailureForWrite(name, file.Name, ex);
        }
    }

    private static async Task CopyToFileAsync(Stream source, FileStream file, string name,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (true)
            {
                // The source's own exceptions pass through unchanged: they are the caller's failure, not storage's.
                var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw FailureForWrite(name, file.Name, ex);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void FlushDirectories(string name, string directory)
    {
        try
        {
            // The new entry is in the object's folder; the folder itself may be new too (data/3f), so every folder
            // up to the root is flushed. Folders whose entries are already on disk cost almost nothing.
            for (var current = directory;
                 current.Length >= RootDirectory.Length;
                 current = Path.GetDirectoryName(current) ?? "")
            {
                NoReplaceFileMove.FlushDirectory(current);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(
                $"Object '{name}' was written to local repository '{RootDirectory}', but its folder could not be " +
                $"flushed to disk: {ex.Message} The object may be missing after a power failure; check the disk's " +
                "health before relying on this repository.", ex);
        }
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle OpenForReading(string name, FileOptions options)
    {
        var path = ToPath(name);
        try
        {
            // FileShare.Delete lets prune remove an object that a reader still has open (Windows; Unix always can).
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StorageObjectNotFoundException(name, Location, ex);
        }
        catch (UnauthorizedAccessException ex) when (Directory.Exists(path))
        {
            // Opening a folder is refused as access denied; a folder of other objects is not this object.
            throw new StorageObjectNotFoundException(name, Location, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure("read", name, ex);
        }
    }

    private StorageObject? ToStorageObject(ref FileSystemEntry entry)
    {
        var fullPath = entry.ToFullPath();
        if (!fullPath.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            return null;
        }

        var name = fullPath[_rootWithSeparator.Length..];
        if (Path.DirectorySeparatorChar != StorageName.Separator)
        {
            name = name.Replace(Path.DirectorySeparatorChar, StorageName.Separator);
        }

        return StorageName.IsValid(name) ? new StorageObject(name, entry.Length) : null;
    }

    private string ToPath(string name) =>
        Path.Join(RootDirectory, Path.DirectorySeparatorChar == StorageName.Separator
            ? name
            : name.Replace(StorageName.Separator, Path.DirectorySeparatorChar));

    private StorageException ListingFailure(string prefix, Exception exception) =>
        new($"Could not list objects with prefix '{prefix}' in local repository '{RootDirectory}': " +
            $"{exception.Message} Check that this account may read every folder in the repository.", exception);

    private StorageException Failure(string action, string name, Exception exception) =>
        new($"Could not {action} object '{name}' in local repository '{RootDirectory}': {exception.Message} " +
            "Check that the folder exists, that this account may " +
            (action == "read" ? "read it" : "write to it") + ", and that the disk is healthy and has free space.",
            exception);

    private static StorageException FailureForWrite(string name, string temporaryPath, Exception exception) =>
        new($"Could not write object '{name}' (temporary file '{temporaryPath}'): {exception.Message} " +
            "Check that this account may write to the repository folder and that the disk has free space.",
            exception);

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for CleanupTemporaryFilesAsync; a leftover never shows as an object or blocks a write.
        }
    }

    private static Task<T> RunSynchronously<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        // File system metadata calls are synchronous in .NET. Running them inline is cheaper than a thread-pool
        // hop, and failures still arrive through the task like those of a truly asynchronous backend.
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(operation());
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }
}
