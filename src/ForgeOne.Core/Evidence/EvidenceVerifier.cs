using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Evidence;

/// <summary>
/// Checks an evidence package offline (<c>Test-ForgeEvidence</c>, <c>forge evidence verify</c>): the manifest's
/// Ed25519 signature, then every listed file's presence, length and BLAKE3, and that nothing unlisted was added.
/// Each failure names the file.
/// </summary>
public static class EvidenceVerifier
{
    /// <summary>Checks a package.</summary>
    /// <param name="path">The zip.</param>
    /// <param name="expectedPublicKey">The key the package must be signed with (hex), for example from the repository;
    /// null to accept the key the manifest names (then only self-consistency is proved).</param>
    /// <returns>The result; a damaged package is a failed result, not an exception.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static EvidenceVerification Verify(string path, string? expectedPublicKey = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"There is no evidence package at '{full}'.", full);
        }

        var problems = new List<EvidenceProblem>();
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(full);
        }
        catch (InvalidDataException ex)
        {
            return new EvidenceVerification { Path = full, PublicKey = "", Problems = [new EvidenceProblem(Path.GetFileName(full), "it is not a readable zip file: " + ex.Message)] };
        }

        using (zip)
        {
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                try
                {
                    using var stream = entry.Open();
                    using var memory = new MemoryStream();
                    stream.CopyTo(memory);
                    entries[entry.FullName] = memory.ToArray();
                }
                catch (InvalidDataException ex)
                {
                    problems.Add(new EvidenceProblem(entry.FullName, "it does not decompress (the zip is damaged): " + ex.Message));
                }
            }

            if (!entries.TryGetValue(EvidenceExporter.ManifestName, out var manifestBytes))
            {
                problems.Add(new EvidenceProblem(EvidenceExporter.ManifestName, "it is missing"));
                return new EvidenceVerification { Path = full, PublicKey = "", Problems = problems };
            }

            EvidenceManifest? manifest = null;
            try
            {
                manifest = JsonSerializer.Deserialize(manifestBytes, EvidenceJson.Default.EvidenceManifest);
            }
            catch (JsonException ex)
            {
                problems.Add(new EvidenceProblem(EvidenceExporter.ManifestName, "it is not a valid manifest: " + ex.Message));
            }

            if (manifest is null)
            {
                return new EvidenceVerification { Path = full, PublicKey = "", Problems = problems };
            }

            CheckSignature(manifest, manifestBytes, entries, expectedPublicKey, problems);
            var checkedFiles = 0;
            foreach (var file in manifest.Files)
            {
                if (!entries.TryGetValue(file.Path, out var bytes))
                {
                    if (!problems.Any(problem => problem.File == file.Path))
                    {
                        problems.Add(new EvidenceProblem(file.Path, "it is listed in the manifest but missing"));
                    }

                    continue;
                }

                checkedFiles++;
                var hash = ObjectNames.ToHex(Blake3.Hash(bytes));
                if (bytes.Length != file.Bytes || hash != file.Blake3)
                {
                    problems.Add(new EvidenceProblem(file.Path, $"its content changed: BLAKE3 {hash} ({bytes.Length} bytes), the manifest says {file.Blake3} ({file.Bytes} bytes)"));
                }
            }

            CheckAuditChain(manifest, entries, problems);
            var listed = manifest.Files.Select(file => file.Path).Append(EvidenceExporter.ManifestName).Append(EvidenceExporter.SignatureName).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(entries.Keys.Where(name => !listed.Contains(name)).Select(name => new EvidenceProblem(name, "it is not listed in the manifest (added after signing)")));
            return new EvidenceVerification { Path = full, PublicKey = manifest.PublicKey, FilesChecked = checkedFiles, Problems = problems };
        }
    }

    private static void CheckAuditChain(EvidenceManifest manifest, Dictionary<string, byte[]> entries, List<EvidenceProblem> problems)
    {
        const string Log = "audit/log.jsonl";
        if (!entries.TryGetValue(Log, out var log) || !AuditPublicKey.TryParse(manifest.PublicKey, out var key))
        {
            return;
        }

        using var stream = new MemoryStream(log);
        var verification = AuditJsonLines.VerifyAsync(stream, key).GetAwaiter().GetResult();
        if (!verification.Passed)
        {
            problems.Add(new EvidenceProblem(Log + (verification.FirstBadSequence is { } sequence ? $" record {sequence}" : ""),
                $"the audit chain does not verify ({verification.Reason}): {verification.Message}"));
        }
    }

    private static void CheckSignature(EvidenceManifest manifest, byte[] manifestBytes, Dictionary<string, byte[]> entries, string? expectedPublicKey, List<EvidenceProblem> problems)
    {
        if (expectedPublicKey is not null && !string.Equals(expectedPublicKey, manifest.PublicKey, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new EvidenceProblem(EvidenceExporter.ManifestName, $"it is signed with key {manifest.PublicKey}, not the expected {expectedPublicKey}"));
        }

        if (!entries.TryGetValue(EvidenceExporter.SignatureName, out var signatureText))
        {
            problems.Add(new EvidenceProblem(EvidenceExporter.SignatureName, "it is missing"));
            return;
        }

        byte[] signature;
        AuditPublicKey publicKey;
        try
        {
            signature = Convert.FromHexString(Encoding.ASCII.GetString(signatureText).Trim());
            publicKey = AuditPublicKey.Parse(manifest.PublicKey);
        }
        catch (FormatException)
        {
            problems.Add(new EvidenceProblem(EvidenceExporter.SignatureName, "the signature or the manifest's public key is not valid"));
            return;
        }

        if (!publicKey.Verify(manifestBytes, signature))
        {
            problems.Add(new EvidenceProblem(EvidenceExporter.ManifestName, "its Ed25519 signature does not verify: the manifest or manifest.sig was changed"));
        }
    }
}
