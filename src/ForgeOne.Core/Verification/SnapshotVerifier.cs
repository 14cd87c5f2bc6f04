using System.Diagnostics;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Verification;

/// <summary>
/// Proves a snapshot restorable without restoring it: every tree readable, every chunk indexed in a pack the storage
/// holds and, with read-data, every chunk authenticated and every file's content hash and the DNA recomputed from the
/// data itself.
/// </summary>
public static class SnapshotVerifier
{
    /// <summary>Verifies <paramref name="snapshot"/>; <paramref name="readData"/> null checks structure only.</summary>
    public static async Task<SnapshotVerification> VerifyAsync(Repository.Repository repository, Snapshot snapshot, DataSubset? readData, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        var result = await VerifyCoreAsync(repository, snapshot, readData, progress, cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(repository, new AuditEvent
        {
            Operation = AuditOperations.Verify,
            Target = "snapshot " + result.SnapshotId,
            Outcome = result.Passed ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            Error = result.Passed ? null : $"{result.Problems.Count} problems; first: {(result.Problems.Count > 0 ? result.Problems[0].Message : "see the result")}",
            Parameters = new Dictionary<string, string> { ["readData"] = result.DataRead ?? "none", ["chunks"] = result.ChunksChecked.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RelatedIds = [result.SnapshotId],
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Passed)
        {
            await AuditTrail.AlertAsync(repository, "check.failed", $"snapshot {snapshot.ShortId} failed verification: {(result.Problems.Count > 0 ? result.Problems[0].Message : "see the result")}", [result.SnapshotId], cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static async Task<SnapshotVerification> VerifyCoreAsync(Repository.Repository repository, Snapshot snapshot, DataSubset? readData, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var repositoryLock = await repository.LockAsync(exclusive: false, "verify", cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var id = snapshot.Id!;
        List<VerificationProblem> problems = [];
        var listing = new DnaListing();
        long chunks = 0, bytes = 0, files = 0;

        // One listing of the packs, so a chunk whose pack was deleted is found without reading any data.
        var storedPacks = await ListStoredPacksAsync(repository, cancellationToken).ConfigureAwait(false);

        await foreach (var (path, node) in SnapshotWalker.WalkAsync(repository, snapshot.Tree, (treeId, where, ex) =>
            problems.Add(new VerificationProblem(ProblemKind.DamagedTree, treeId, $"The listing of '{where}' cannot be read: {ex.Message}", [id], [where])), cancellationToken).ConfigureAwait(false))
        {
            switch (node.Type)
            {
                case NodeType.Directory:
                    listing.AddDirectory(path);
                    break;
                case NodeType.Symlink:
                    listing.AddSymlink(path, node.LinkTarget ?? "");
                    break;
                case NodeType.File:
                    var (hash, read) = await CheckFileAsync(repository, storedPacks, node, path, id, readData, problems, cancellationToken).ConfigureAwait(false);
                    chunks += node.Content?.Count ?? 0;
                    bytes += read;
                    listing.Add(NodeType.File, path, node.Size, hash ?? node.ContentHash ?? "");
                    progress?.Report(new OperationProgress("Verifying", path, ++files, snapshot.Files, bytes, readData is null ? null : snapshot.LogicalBytes, clock.Elapsed));
                    break;
            }
        }

        var actual = listing.ComputeHash();
        if (snapshot.DnaHash is { } expected && expected != actual)
        {
            problems.Add(new VerificationProblem(ProblemKind.DnaMismatch, id,
                $"The DNA recomputed now ({actual[..16]}…) differs from the one recorded at backup ({expected[..16]}…).", [id], []));
        }

        return new SnapshotVerification
        {
            SnapshotId = id,
            Passed = problems.Count == 0,
            DnaExpected = snapshot.DnaHash,
            DnaActual = actual,
            ChunksChecked = chunks,
            BytesRead = bytes,
            DataRead = readData?.Text,
            Problems = problems,
        };
    }

    private static async Task<HashSet<PackId>> ListStoredPacksAsync(Repository.Repository repository, CancellationToken cancellationToken)
    {
        HashSet<PackId> packs = [];
        await foreach (var item in repository.Backend.ListAsync(RepositoryPaths.DataPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (PackId.TryParse(item.Name[(item.Name.LastIndexOf('/') + 1)..], out var pack))
            {
                packs.Add(pack);
            }
        }

        return packs;
    }

    // Returns the content hash recomputed from the data when the whole file was read, else null (use the recorded one).
    private static async Task<(string? Hash, long BytesRead)> CheckFileAsync(
        Repository.Repository repository, HashSet<PackId> storedPacks, TreeNode node, string path, string snapshotId, DataSubset? readData,
        List<VerificationProblem> problems, CancellationToken cancellationToken)
    {
        using var hasher = Blake3Hasher.Create();
        var whole = readData is not null;
        long read = 0;
        foreach (var hex in node.Content ?? [])
        {
            var blob = BlobId.Parse(hex);
            if (!repository.Index.TryGet(blob, BlobType.Data, out var indexed))
            {
                problems.Add(new VerificationProblem(ProblemKind.MissingBlob, hex, $"Chunk {blob.ShortId} of '{path}' is in no pack; the file cannot be restored.", [snapshotId], [path]));
                whole = false;
                continue;
            }

            if (!storedPacks.Contains(indexed.PackId))
            {
                problems.Add(new VerificationProblem(ProblemKind.MissingBlob, hex, $"Chunk {blob.ShortId} of '{path}' is in pack {indexed.PackId.ShortId}, which is missing from storage; the file cannot be restored.", [snapshotId], [path]));
                whole = false;
                continue;
            }

            if (readData is null || !readData.Includes(hex))
            {
                whole = false;
                continue;
            }

            try
            {
                using var data = await repository.RentBlobAsync(blob, BlobType.Data, cancellationToken).ConfigureAwait(false);
                hasher.Update(data.Memory.Span);
                read += data.Memory.Length;
            }
            catch (ForgeException ex)
            {
                problems.Add(new VerificationProblem(ProblemKind.DamagedBlob, hex, $"Chunk {blob.ShortId} of '{path}' is damaged: {ex.Message}", [snapshotId], [path]));
                whole = false;
            }
        }

        if (!whole)
        {
            return (null, read);
        }

        var actual = hasher.FinalizeHex();
        if (node.ContentHash is { } expected && expected != actual)
        {
            problems.Add(new VerificationProblem(ProblemKind.ContentMismatch, expected, $"'{path}' reads back with BLAKE3 {actual[..16]}…, not the recorded {expected[..16]}….", [snapshotId], [path]));
        }

        return (actual, read);
    }
}
