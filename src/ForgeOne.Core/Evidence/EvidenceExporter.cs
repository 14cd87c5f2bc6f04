using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Verification;

namespace ForgeOne.Core.Evidence;

/// <summary>
/// Writes a signed evidence package (<c>Export-ForgeEvidence</c>, <c>forge evidence export</c>): a zip an auditor can
/// check offline, holding the snapshot inventory (JSON and CSV), verification and drill results, the retention policy
/// and legal holds, a control map from SOC 2, ISO 27001 and GDPR controls to that evidence with each one's status,
/// <c>report.html</c>, and <c>manifest.json</c> listing every file's BLAKE3, signed with the repository's Ed25519 key
/// (<c>manifest.sig</c>).
/// </summary>
public static class EvidenceExporter
{
    /// <summary>The manifest's name inside the package.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>The manifest signature's name inside the package (hex of the 64-byte Ed25519 signature).</summary>
    public const string SignatureName = "manifest.sig";

    /// <summary>Writes the package.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="options">Period, frameworks, extra items, path.</param>
    /// <param name="cancellationToken">Cancels; no file is left under the final name.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="IOException">The file exists and <see cref="EvidenceOptions.Force"/> is not set.</exception>
    public static async Task<EvidencePackage> ExportAsync(Repository.Repository repository, EvidenceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        var path = System.IO.Path.GetFullPath(options.Path);
        if (File.Exists(path) && !options.Force)
        {
            throw new IOException($"'{path}' exists; pass -Force (--force) to replace it, or choose another -Path.");
        }

        var to = (options.To ?? DateTimeOffset.UtcNow).ToUniversalTime();
        var from = (options.From ?? to.AddDays(-90)).ToUniversalTime();
        if (from >= to)
        {
            throw new ArgumentException($"The period runs from {from:u} to {to:u}; -From must be before -To.", nameof(options));
        }

        var policies = new RepositoryPolicies(repository);
        var holds = await policies.GetHoldsAsync(cancellationToken).ConfigureAwait(false);
        var snapshots = (await SnapshotStore.FindAsync(repository, null, cancellationToken).ConfigureAwait(false))
            .Concat(options.Items.OfType<Snapshots.Snapshot>())
            .Where(snapshot => snapshot.EndTime >= from && snapshot.EndTime <= to)
            .DistinctBy(snapshot => snapshot.Id)
            .OrderBy(snapshot => snapshot.EndTime)
            .Select(snapshot => new InventoryRow
            {
                Id = snapshot.Id!,
                Time = snapshot.Time,
                EndTime = snapshot.EndTime,
                Host = snapshot.Host,
                Paths = string.Join(',', snapshot.Paths),
                Tags = string.Join(',', snapshot.Tags),
                Files = snapshot.Files,
                LogicalBytes = snapshot.LogicalBytes,
                StoredBytes = snapshot.StoredBytes,
                DnaHash = snapshot.DnaHash,
                StoreId = snapshot.Store?.StoreId,
                LegalHold = holds.ContainsKey(snapshot.Id!),
            }).ToList();
        var drills = (await DrDrillRunner.ListAsync(repository, cancellationToken).ConfigureAwait(false))
            .Concat(options.Items.OfType<DrDrillResult>())
            .Where(drill => drill.Time >= from && drill.Time <= to)
            .DistinctBy(drill => drill.Id).OrderBy(drill => drill.Time).ToList();
        var verifications = options.Items.OfType<SnapshotVerification>().ToList();
        var checks = options.Items.OfType<RepositoryCheckResult>().ToList();
        var history = (await policies.GetRetentionHistoryAsync(cancellationToken).ConfigureAwait(false)).ToList();

        // The whole audit log goes in, so the chain can be checked from its first record; the period picks what the report counts.
        using var audit = AuditLog.Open(repository);
        var records = new List<AuditRecord>();
        await foreach (var record in audit.QueryAsync(null, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        var anchors = await AuditLog.ReadSnapshotAnchorsAsync(repository, cancellationToken).ConfigureAwait(false);
        var chain = await audit.VerifyAsync(anchors, audit.PublicKey, cancellationToken).ConfigureAwait(false);
        var inPeriod = records.Where(record => record.Time >= from && record.Time <= to).ToList();

        var ordered = snapshots.Select(row => row.EndTime).ToList();
        var facts = new EvidenceFacts
        {
            Snapshots = snapshots.Count,
            SnapshotsWithDna = snapshots.Count(row => row.DnaHash is not null),
            Drills = drills.Count,
            DrillsPassed = drills.Count(drill => drill.Passed),
            Verifications = verifications.Count + checks.Count,
            VerificationsPassed = verifications.Count(verification => verification.Passed) + checks.Count(check => check.Passed),
            RetentionPolicy = history.Count > 0,
            AuditRecords = inPeriod.Count,
            AuditLogVerified = chain.Passed,
            LegalHolds = holds.Count,
            WorstRpo = ordered.Count > 1 ? ordered.Zip(ordered.Skip(1), (earlier, later) => later - earlier).Max() : null,
            RpoObjective = options.RpoObjective,
        };
        var controls = ControlMap.Evaluate(facts, options.Frameworks).ToList();

        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["snapshots.json"] = JsonSerializer.SerializeToUtf8Bytes(snapshots, EvidenceJson.Default.ListInventoryRow),
            ["snapshots.csv"] = Encoding.UTF8.GetBytes(Csv(snapshots)),
            ["drills.json"] = JsonSerializer.SerializeToUtf8Bytes(drills, EvidenceJson.Default.ListDrDrillResult),
            ["verifications.json"] = JsonSerializer.SerializeToUtf8Bytes(verifications, EvidenceJson.Default.ListSnapshotVerification),
            ["checks.json"] = JsonSerializer.SerializeToUtf8Bytes(checks, EvidenceJson.Default.ListRepositoryCheckResult),
            ["retention/policy.json"] = JsonSerializer.SerializeToUtf8Bytes(history, EvidenceJson.Default.ListRetentionPolicyVersion),
            ["retention/holds.json"] = JsonSerializer.SerializeToUtf8Bytes(holds.Values.OrderBy(hold => hold.SetAt).ToList(), EvidenceJson.Default.ListLegalHold),
            ["controls.json"] = JsonSerializer.SerializeToUtf8Bytes(controls, EvidenceJson.Default.ListControlResult),
            ["audit/log.jsonl"] = JsonLines(records),
            ["audit/verification.json"] = JsonSerializer.SerializeToUtf8Bytes(AuditChainReport.From(chain, records.Count, inPeriod.Count), EvidenceJson.Default.AuditChainReport),
            ["audit/key-and-policy-changes.jsonl"] = JsonLines(inPeriod.Where(record => record.Operation is AuditOperations.KeyAdd or AuditOperations.KeyRemove or AuditOperations.PolicyChange)),
            ["retention/removed.jsonl"] = JsonLines(inPeriod.Where(record => record.Operation is AuditOperations.SnapshotDelete or AuditOperations.Prune)),
        };

        var key = audit.SigningKey;
        var manifestWithoutReport = Manifest(repository, from, to, options.Frameworks, key, files);
        files["report.html"] = Encoding.UTF8.GetBytes(EvidenceReport.Render(manifestWithoutReport, snapshots, drills, controls, options.RpoObjective));
        var manifest = Manifest(repository, from, to, options.Frameworks, key, files);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceJson.Default.EvidenceManifest);
        var signature = Encoding.ASCII.GetBytes(ObjectNames.ToHex(key.Sign(manifestBytes)) + "\n");

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + ".partial";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                Add(zip, ManifestName, manifestBytes);
                Add(zip, SignatureName, signature);
                foreach (var (name, bytes) in files)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Add(zip, name, bytes);
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        await AuditTrail.TryRecordAsync(repository, new AuditEvent
        {
            Operation = AuditOperations.EvidenceExport,
            Target = path,
            Parameters = new Dictionary<string, string>
            {
                ["from"] = from.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = to.ToString("O", CultureInfo.InvariantCulture),
                ["frameworks"] = options.Frameworks.ToString(),
                ["manifestBlake3"] = ObjectNames.ToHex(Blake3.Hash(manifestBytes)),
            },
        }, cancellationToken).ConfigureAwait(false);

        return new EvidencePackage
        {
            Path = path,
            From = from,
            To = to,
            Files = manifest.Files.Count,
            Bytes = new FileInfo(path).Length,
            PublicKey = key.PublicKey.Hex,
            Controls = controls,
        };
    }

    private static EvidenceManifest Manifest(Repository.Repository repository, DateTimeOffset from, DateTimeOffset to, ComplianceFramework frameworks,
        AuditSigningKey key, SortedDictionary<string, byte[]> files) => new()
        {
            Created = DateTimeOffset.UtcNow,
            Repository = repository.Location,
            From = from,
            To = to,
            Frameworks = frameworks.ToString(),
            PublicKey = key.PublicKey.Hex,
            Files = [.. files.Select(file => new EvidenceFile(file.Key, ObjectNames.ToHex(Blake3.Hash(file.Value)), file.Value.Length))],
        };

    private static byte[] JsonLines(IEnumerable<AuditRecord> records)
    {
        using var lines = new MemoryStream();
        foreach (var record in records)
        {
            lines.Write(AuditJsonLines.ToLine(record));
        }

        return lines.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private static string Csv(IEnumerable<InventoryRow> rows)
    {
        var csv = new StringBuilder("id,time,end_time,host,paths,tags,files,logical_bytes,stored_bytes,dna_hash,store_id,legal_hold\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',',
                row.Id, row.Time.ToString("O", CultureInfo.InvariantCulture), row.EndTime.ToString("O", CultureInfo.InvariantCulture),
                Quote(row.Host), Quote(row.Paths), Quote(row.Tags), row.Files.ToString(CultureInfo.InvariantCulture),
                row.LogicalBytes.ToString(CultureInfo.InvariantCulture), row.StoredBytes.ToString(CultureInfo.InvariantCulture),
                row.DnaHash ?? "", row.StoreId ?? "", row.LegalHold ? "true" : "false").Append('\n');
        }

        return csv.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
