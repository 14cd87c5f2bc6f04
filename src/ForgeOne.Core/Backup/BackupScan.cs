using ForgeOne.Core.FileSystem;

namespace ForgeOne.Core.Backup;

/// <summary>
/// Counts the files and bytes a backup of some paths will take, on a thread of its own while the backup runs, so its
/// progress can show a percentage and the time left (restic sizes its backups the same way).
/// </summary>
/// <remarks>
/// <para>The scan follows the backup's <see cref="EntrySelection"/> and counts what the backup counts: regular files
/// within the size limit, symbolic links not followed. Entries it cannot read are passed over in silence; the backup's
/// own walk reports them.</para>
/// <para>Totals are given only once the scan is complete: a growing count would make the percentage go backwards and
/// the time left meaningless. Its cost is a second listing of each folder and a second <c>stat</c> of each entry; of
/// the two walks, the later one finds them in the file system's cache.</para>
/// </remarks>
internal sealed class BackupScan
{
    private readonly EntrySelection _selection;
    private long _files;
    private long _bytes;
    private volatile bool _complete;

    private BackupScan(EntrySelection selection) => _selection = selection;

    /// <summary>The scan itself: complete when the totals are known, cancelled when stopped first.</summary>
    internal Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Files and bytes in all once the scan is complete; nulls until then.</summary>
    internal (long? Files, long? Bytes) Totals => _complete ? (_files, _bytes) : (null, null);

    /// <summary>Starts scanning <paramref name="roots"/> on a thread of its own.</summary>
    /// <param name="roots">The backed-up paths, with the names they have at the top of the snapshot.</param>
    /// <param name="selection">The backup's rules for what it takes.</param>
    /// <param name="cancellationToken">Stops the scan; cancel it when the backup ends.</param>
    /// <returns>The running scan.</returns>
    internal static BackupScan Start(IReadOnlyList<(string FullPath, string Name)> roots, EntrySelection selection, CancellationToken cancellationToken)
    {
        var scan = new BackupScan(selection);

        // A dedicated thread, not one of the pool's: the walk blocks on the file system for as long as it takes, and
        // on two cores the pool starts with two threads, which the backup's readers and sealers need from the start.
        scan.Completion = Task.Factory.StartNew(
            () => scan.Walk(roots, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return scan;
    }

    private void Walk(IReadOnlyList<(string FullPath, string Name)> roots, CancellationToken cancellationToken)
    {
        var folders = new Stack<(string FullPath, string RelativePath)>();
        foreach (var (fullPath, name) in roots)
        {
            Visit(fullPath, name, folders);
        }

        while (folders.TryPop(out var folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cacheOnly = _selection.KeepsOnlyCacheTag(folder.FullPath);
            try
            {
                foreach (var childPath in Directory.EnumerateFileSystemEntries(folder.FullPath))
                {
                    // Checked per entry, so a backup that ends does not wait for a folder of a million files.
                    cancellationToken.ThrowIfCancellationRequested();
                    var name = Path.GetFileName(childPath);
                    var relativePath = folder.RelativePath + "/" + name;
                    if (!_selection.Excludes(relativePath, name, cacheOnly) && EntrySelection.IsRecordable(name))
                    {
                        Visit(childPath, relativePath, folders);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The backup's walk warns about a folder it cannot list.
            }
        }

        _complete = true;
    }

    private void Visit(string fullPath, string relativePath, Stack<(string FullPath, string RelativePath)> folders)
    {
        FileMetadata metadata;
        try
        {
            metadata = FileMetadata.Read(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        if (metadata.Kind == FileKind.Directory)
        {
            folders.Push((fullPath, relativePath));
        }
        else if (metadata.Kind == FileKind.Regular && !_selection.IsTooLarge(metadata.Size))
        {
            _files++;
            _bytes += metadata.Size;
        }
    }
}
