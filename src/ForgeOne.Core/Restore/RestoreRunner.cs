using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.FileSystem;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Restore;

/// <summary>Restores a snapshot, or the selected part of it, into a folder, checking everything it writes.</summary>
/// <remarks>
/// Every chunk is authenticated and its id recomputed as it is read; every file is written under a temporary name
/// beside its target, its content hash compared with the snapshot's, its mode, times and (where permitted) owner
/// set, and only then renamed into place. A failed or cancelled restore therefore never leaves a partial file under
/// a final name. Existing files are left alone unless <see cref="RestoreOptions.Force"/> is set.
/// </remarks>
public static class RestoreRunner
{
    /// <summary>Restores <paramref name="snapshot"/> as <paramref name="options"/> say.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; files already renamed into place stay.</exception>
    public static async Task<RestoreResult> RunAsync(Repository.Repository repository, Snapshot snapshot, RestoreOptions options, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        await using var repositoryLock = await repository.LockAsync(exclusive: false, "restore", cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var destination = Path.GetFullPath(options.Destination);
        var startedEmpty = !Directory.Exists(destination) || !Directory.EnumerateFileSystemEntries(destination).Any();
        Directory.CreateDirectory(destination);

        var filter = new PathFilter(options.Exclude, options.Include);
        var plan = await PlanAsync(repository, snapshot.Tree, filter, cancellationToken).ConfigureAwait(false);
        var totalBytes = plan.Files.Sum(f => f.Node.Size);
        var skipped = new ConcurrentQueue<RestoreProblem>();
        var failed = new ConcurrentQueue<RestoreProblem>();
        long files = 0, bytes = 0;

        // Folders that were already there keep their own mode, owner and times unless -Force asks otherwise.
        var existingDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, _) in plan.Directories)
        {
            // A folder already in the destination may be a link to elsewhere; writing through it would leave the target.
            if (!PassesThroughLink(destination, path + "/"))
            {
                var target = Target(destination, path);
                if (Directory.Exists(target) && !options.Force)
                {
                    existingDirectories.Add(path);
                }

                Directory.CreateDirectory(target);
            }
        }

        await Parallel.ForEachAsync(plan.Files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var target = Target(destination, file.Path);
            if (PassesThroughLink(destination, file.Path))
            {
                failed.Enqueue(new RestoreProblem(file.Path, LinkRefusal, null));
                return;
            }

            if (!options.Force && (File.Exists(target) || Directory.Exists(target)))
            {
                skipped.Enqueue(new RestoreProblem(file.Path, "exists; pass -Force (--force) to replace it", null));
                return;
            }

            try
            {
                await RestoreFileAsync(repository, file.Node, file.Path, target, options.Force, ct).ConfigureAwait(false);
                Interlocked.Increment(ref files);
                var done = Interlocked.Add(ref bytes, file.Node.Size);
                progress?.Report(new OperationProgress("Restoring", file.Path, Interlocked.Read(ref files), plan.Files.Count, done, totalBytes, clock.Elapsed));
            }
            catch (Exception ex) when (ex is ForgeException or IOException or UnauthorizedAccessException or CryptographicException)
            {
                failed.Enqueue(new RestoreProblem(file.Path, ex.Message, ex));
            }
        }).ConfigureAwait(false);

        foreach (var (path, node) in plan.Symlinks)
        {
            if (PassesThroughLink(destination, path))
            {
                failed.Enqueue(new RestoreProblem(path, LinkRefusal, null));
                continue;
            }

            RestoreSymlink(node, path, Target(destination, path), options.Force, skipped, failed);
        }

        // Deepest first, so restoring a folder's children does not touch its modification time again.
        foreach (var (path, node) in plan.Directories
            .Where(d => d.Node is not null && !existingDirectories.Contains(d.Path) && !PassesThroughLink(destination, d.Path + "/"))
            .OrderByDescending(d => d.Path.Length))
        {
            Metadata.Apply(Target(destination, path), node!);
        }

        string? actual = null, expected = null, notVerified = null;
        if (!options.Verify)
        {
            notVerified = "verification was turned off";
        }
        else if (!startedEmpty)
        {
            notVerified = "the destination was not empty, so its DNA would include files the snapshot does not have";
        }
        else
        {
            try
            {
                expected = filter.IncludesEverything && options.Exclude.Count == 0
                    ? snapshot.DnaHash
                    : await DnaHash.ComputeForTreeAsync(snapshot.Tree, (id, ct) => BackupRunner.LoadTreeAsync(repository, id, ct), filter.IsIncluded, cancellationToken).ConfigureAwait(false);
                actual = DnaHash.ComputeForDirectory(destination, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or UnrepresentablePathException)
            {
                // The files are written and were checked one by one; failing here would hide that result. A file
                // this account may not read (mode 0200, say) or a name no DNA line can hold ends up here.
                (actual, notVerified) = (null, $"the restored folder could not be read back to compute its DNA: {ex.Message}");
            }
        }

        await AuditTrail.TryRecordAsync(repository, new AuditEvent
        {
            Operation = AuditOperations.Restore,
            Target = destination,
            Outcome = failed.IsEmpty ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            Error = failed.IsEmpty ? null : $"{failed.Count} files failed, first {failed.First().Path}: {failed.First().Reason}",
            Parameters = new Dictionary<string, string>
            {
                ["files"] = files.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["bytes"] = bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["include"] = string.Join(",", options.Include),
                ["verified"] = (actual is not null && actual == expected && failed.IsEmpty) ? "true" : "false",
            },
            RelatedIds = [snapshot.Id!],
        }, cancellationToken).ConfigureAwait(false);

        return new RestoreResult
        {
            SnapshotId = snapshot.Id!,
            Destination = destination,
            Files = files,
            Directories = plan.Directories.Count,
            Bytes = bytes,
            Duration = clock.Elapsed,
            Verified = actual is not null && actual == expected && failed.IsEmpty,
            DnaHash = actual,
            DnaExpected = expected,
            NotVerifiedReason = notVerified,
            Skipped = [.. skipped],
            Failed = [.. failed],
        };
    }

    /// <summary>Writes one file of a snapshot to <paramref name="output"/> (e.g. standard output), checking its chunks and content hash.</summary>
    /// <exception cref="ArgumentException">The path is not a file in the snapshot (missing, a folder or a link; the message says so).</exception>
    /// <exception cref="ContentMismatchException">The content does not match; what was written already cannot be taken back.</exception>
    public static async Task<long> DumpAsync(Repository.Repository repository, Snapshot snapshot, string path, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(output);
        var node = await FindAsync(repository, snapshot.Tree, path.Trim('/'), cancellationToken).ConfigureAwait(false);
        if (node is not { Type: NodeType.File })
        {
            throw new ArgumentException($"'{path}' is not a file in snapshot {snapshot.ShortId}; list the snapshot's paths with forge backup diff or restore with --include.", nameof(path));
        }

        return await CopyContentAsync(repository, node, path, output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RestoreFileAsync(Repository.Repository repository, TreeNode node, string path, string target, bool force, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.forge-{ObjectNames.ToHex(RandomNumberGenerator.GetBytes(4))}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, PreallocationSize = node.Size }))
            {
                await CopyContentAsync(repository, node, path, stream, cancellationToken).ConfigureAwait(false);
            }

            Metadata.Apply(temporary, node);
            File.Move(temporary, target, overwrite: force);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static async Task<long> CopyContentAsync(Repository.Repository repository, TreeNode node, string path, Stream output, CancellationToken cancellationToken)
    {
        using var hasher = Blake3Hasher.Create();
        long written = 0;
        foreach (var id in node.Content ?? [])
        {
            using var chunk = await repository.RentBlobAsync(BlobId.Parse(id), BlobType.Data, cancellationToken).ConfigureAwait(false);
            hasher.Update(chunk.Memory.Span);
            await output.WriteAsync(chunk.Memory, cancellationToken).ConfigureAwait(false);
            written += chunk.Memory.Length;
        }

        var actual = hasher.FinalizeHex();
        if (node.ContentHash is { } expected && actual != expected)
        {
            throw new ContentMismatchException(path, expected, actual);
        }

        return written;
    }

    private static void RestoreSymlink(TreeNode node, string path, string target, bool force, ConcurrentQueue<RestoreProblem> skipped, ConcurrentQueue<RestoreProblem> failed)
    {
        try
        {
            if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
            {
                if (!force)
                {
                    skipped.Enqueue(new RestoreProblem(path, "exists; pass -Force (--force) to replace it", null));
                    return;
                }

                File.Delete(target);
            }

            File.CreateSymbolicLink(target, node.LinkTarget!);
            if (node.Uid is { } uid && node.Gid is { } gid)
            {
                // lchown sets the link's own owner, not its target's; only root may, and others keep their own.
                UnixOwnership.TrySet(target, uid, gid);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failed.Enqueue(new RestoreProblem(path, ex.Message, ex));
        }
    }

    private static async Task<RestorePlan> PlanAsync(Repository.Repository repository, string rootTree, PathFilter filter, CancellationToken cancellationToken)
    {
        var plan = new RestorePlan();
        await WalkAsync(repository, rootTree, "", filter, plan, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    // Returns true when anything below was selected, so the folders on the way are created (and given metadata when selected themselves).
    private static async Task<bool> WalkAsync(Repository.Repository repository, string treeId, string prefix, PathFilter filter, RestorePlan plan, CancellationToken cancellationToken)
    {
        var tree = await BackupRunner.LoadTreeAsync(repository, treeId, cancellationToken).ConfigureAwait(false);
        var any = false;
        foreach (var node in tree.Nodes)
        {
            var path = prefix.Length == 0 ? node.Name : prefix + "/" + node.Name;
            var selected = filter.IsIncluded(path);
            switch (node.Type)
            {
                case NodeType.Directory:
                    var index = plan.Directories.Count;
                    plan.Directories.Add((path, selected ? node : null));
                    var below = node.Subtree is { } subtree && await WalkAsync(repository, subtree, path, filter, plan, cancellationToken).ConfigureAwait(false);
                    if (!selected && !below)
                    {
                        plan.Directories.RemoveAt(index);
                    }

                    any |= selected || below;
                    break;
                case NodeType.File when selected:
                    plan.Files.Add((path, node));
                    any = true;
                    break;
                case NodeType.Symlink when selected:
                    plan.Symlinks.Add((path, node));
                    any = true;
                    break;
            }
        }

        return any;
    }

    private static async Task<TreeNode?> FindAsync(Repository.Repository repository, string treeId, string path, CancellationToken cancellationToken)
    {
        var segments = path.Split('/');
        TreeNode? node = null;
        foreach (var segment in segments)
        {
            if (node is { Subtree: null } || (node is not null && node.Type != NodeType.Directory))
            {
                return null;
            }

            var tree = await BackupRunner.LoadTreeAsync(repository, node?.Subtree ?? treeId, cancellationToken).ConfigureAwait(false);
            node = tree.Find(segment);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private const string LinkRefusal = "a folder on its way in the destination is a symbolic link; restoring through it could write outside the destination, so it was not written";

    // True when a folder between the destination and the entry (the entry itself excluded) exists as a symbolic link.
    private static bool PassesThroughLink(string destination, string path)
    {
        var current = destination;
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (new FileInfo(current).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static string Target(string destination, string path) =>
        Path.Combine(destination, path.Replace('/', Path.DirectorySeparatorChar));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file has a name no restore uses as final; it is harmless.
        }
    }

    private sealed class RestorePlan
    {
        internal List<(string Path, TreeNode? Node)> Directories { get; } = [];

        internal List<(string Path, TreeNode Node)> Files { get; } = [];

        internal List<(string Path, TreeNode Node)> Symlinks { get; } = [];
    }
}
