using System.Diagnostics;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Verification;

/// <summary>
/// Checks a whole repository: every pack the index lists exists and its header agrees with the index, every snapshot
/// opens and its trees read, every chunk they need is indexed, and with read-data the packs (or a subset) hash to their
/// names and every blob in them authenticates. Damage is reported with the snapshots and paths it affects.
/// </summary>
public static class RepositoryChecker
{
    /// <summary>Checks <paramref name="repository"/>; <paramref name="readData"/> null checks structure only.</summary>
    public static async Task<RepositoryCheckResult> CheckAsync(Repository.Repository repository, DataSubset? readData, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        var result = await CheckCoreAsync(repository, readData, progress, cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(repository, new AuditEvent
        {
            Operation = AuditOperations.Verify,
            Target = "repository",
            Outcome = result.Passed ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            Error = result.Passed ? null : $"{result.Problems.Count} problems; first: {(result.Problems.Count > 0 ? result.Problems[0].Message : "see the result")}",
            Parameters = new Dictionary<string, string> { ["readData"] = result.DataRead ?? "none", ["packsRead"] = result.PacksRead.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Passed)
        {
            await AuditTrail.AlertAsync(repository, "check.failed", $"repository check found {result.Problems.Count} problems: {(result.Problems.Count > 0 ? result.Problems[0].Message : "see the result")}", null, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static async Task<RepositoryCheckResult> CheckCoreAsync(Repository.Repository repository, DataSubset? readData, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var repositoryLock = await repository.LockAsync(exclusive: false, "check", cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        List<VerificationProblem> problems = [];
        HashSet<BlobId> damagedBlobs = [];
        HashSet<PackId> missingPacks = [];

        // Packs: present, header readable and in agreement with the index.
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var item in repository.Backend.ListAsync(RepositoryPaths.DataPrefix, cancellationToken).ConfigureAwait(false))
        {
            stored[item.Name[(item.Name.LastIndexOf('/') + 1)..]] = item.Length;
        }

        var packs = repository.Index.PackIds;
        int packsRead = 0, done = 0;
        long bytesRead = 0;
        foreach (var pack in packs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = pack.ToString();
            if (!stored.Remove(name))
            {
                problems.Add(new VerificationProblem(ProblemKind.MissingPack, name, $"Pack {pack.ShortId} is listed in the index but missing from storage.", [], []));
                missingPacks.Add(pack);
                continue;
            }

            PackHeader header;
            try
            {
                header = await repository.ReadPackHeaderAsync(pack, cancellationToken).ConfigureAwait(false);
            }
            catch (ForgeException ex)
            {
                problems.Add(new VerificationProblem(ProblemKind.PackHeaderMismatch, name, $"Pack {pack.ShortId}'s header cannot be read: {ex.Message}", [], []));
                continue;
            }

            foreach (var blob in header.Blobs)
            {
                if (!repository.Index.TryGet(blob.Id, blob.Type, out var indexed) || (indexed.PackId == pack && (indexed.Offset != blob.Offset || indexed.Length != blob.Length)))
                {
                    problems.Add(new VerificationProblem(ProblemKind.PackHeaderMismatch, name, $"Pack {pack.ShortId}'s header and the index disagree about blob {blob.Id.ShortId}.", [], []));
                    damagedBlobs.Add(blob.Id);
                }
            }

            if (readData is not null && readData.Includes(name))
            {
                bytesRead += await ReadPackAsync(repository, pack, header, problems, damagedBlobs, cancellationToken).ConfigureAwait(false);
                packsRead++;
            }

            progress?.Report(new OperationProgress("Checking packs", pack.ShortId, ++done, packs.Count, bytesRead, null, clock.Elapsed));
        }

        // Snapshots: each opens, its trees read and every chunk it needs is indexed.
        List<Snapshot> snapshots = [];
        foreach (var id in await repository.ListSnapshotIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                snapshots.Add(await SnapshotStore.LoadAsync(repository, id, cancellationToken).ConfigureAwait(false));
            }
            catch (ForgeException ex)
            {
                problems.Add(new VerificationProblem(ProblemKind.DamagedSnapshot, id, $"Snapshot {id[..8]} cannot be opened: {ex.Message}", [id], []));
            }
        }

        var affected = new Dictionary<BlobId, (HashSet<string> Snapshots, SortedSet<string> Paths)>();
        foreach (var snapshot in snapshots)
        {
            await WalkAsync(repository, snapshot, problems, damagedBlobs, missingPacks, affected, cancellationToken).ConfigureAwait(false);
        }

        // Damage found in packs, and chunks of missing packs, are reported once more per snapshot and path that needs them.
        foreach (var (blob, users) in affected)
        {
            var lost = repository.Index.TryGet(blob, BlobType.Data, out var indexed) && missingPacks.Contains(indexed.PackId);
            problems.Add(lost
                ? new VerificationProblem(ProblemKind.MissingBlob, blob.ToString(),
                    $"Chunk {blob.ShortId} is in missing pack {indexed.PackId.ShortId}; {users.Paths.Count} path(s) in {users.Snapshots.Count} snapshot(s) cannot be restored in full.",
                    [.. users.Snapshots.Order(StringComparer.Ordinal)], [.. users.Paths])
                : new VerificationProblem(ProblemKind.DamagedBlob, blob.ToString(),
                    $"Blob {blob.ShortId} is damaged; {users.Paths.Count} path(s) in {users.Snapshots.Count} snapshot(s) cannot be restored in full.",
                    [.. users.Snapshots.Order(StringComparer.Ordinal)], [.. users.Paths]));
        }

        return new RepositoryCheckResult
        {
            Repository = repository.Location,
            Passed = problems.Count == 0,
            Snapshots = snapshots.Count,
            Packs = packs.Count,
            PacksRead = packsRead,
            BytesRead = bytesRead,
            UnreferencedPacks = stored.Count,
            DataRead = readData?.Text,
            Problems = problems,
        };
    }

    private static async Task<long> ReadPackAsync(Repository.Repository repository, PackId pack, PackHeader header, List<VerificationProblem> problems, HashSet<BlobId> damaged, CancellationToken cancellationToken)
    {
        var bytes = await repository.Backend.ReadAllAsync(RepositoryPaths.Pack(pack), Array.MaxLength, cancellationToken).ConfigureAwait(false);
        if (!Convert.ToHexString(Blake3.Hash(bytes)).Equals(pack.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new VerificationProblem(ProblemKind.DamagedPack, pack.ToString(), $"Pack {pack.ShortId}'s bytes do not hash to its name: it was changed or corrupted on storage.", [], []));
        }

        // Each blob is checked in the bytes just read: reading it again through the index would read every pack twice.
        foreach (var blob in header.Blobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (blob.Offset + blob.Length > bytes.Length)
                {
                    throw new MalformedPackException(pack, $"it ends before blob {blob.Id.ShortId}");
                }

                repository.CheckBlob(new IndexedBlob(pack, blob.Type, blob.Id, blob.Offset, blob.Length, blob.RawLength), bytes.AsSpan((int)blob.Offset, blob.Length));
            }
            catch (ForgeException)
            {
                damaged.Add(blob.Id);
            }
        }

        return bytes.Length;
    }

    private static async Task WalkAsync(Repository.Repository repository, Snapshot snapshot, List<VerificationProblem> problems, HashSet<BlobId> damaged,
        HashSet<PackId> missingPacks, Dictionary<BlobId, (HashSet<string> Snapshots, SortedSet<string> Paths)> affected, CancellationToken cancellationToken)
    {
        await foreach (var (path, node) in SnapshotWalker.WalkAsync(repository, snapshot.Tree, (treeId, where, ex) =>
            problems.Add(new VerificationProblem(ProblemKind.DamagedTree, treeId, $"The listing of '{where}' in snapshot {snapshot.ShortId} cannot be read: {ex.Message}", [snapshot.Id!], [where])),
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var hex in node.Content ?? [])
            {
                var blob = BlobId.Parse(hex);
                if (!repository.Index.TryGet(blob, BlobType.Data, out var indexed))
                {
                    problems.Add(new VerificationProblem(ProblemKind.MissingBlob, hex, $"Chunk {blob.ShortId} of '{path}' in snapshot {snapshot.ShortId} is in no pack.", [snapshot.Id!], [path]));
                }
                else if (damaged.Contains(blob) || missingPacks.Contains(indexed.PackId))
                {
                    if (!affected.TryGetValue(blob, out var users))
                    {
                        affected[blob] = users = ([], new SortedSet<string>(StringComparer.Ordinal));
                    }

                    users.Snapshots.Add(snapshot.Id!);
                    users.Paths.Add(path);
                }
            }
        }
    }
}
