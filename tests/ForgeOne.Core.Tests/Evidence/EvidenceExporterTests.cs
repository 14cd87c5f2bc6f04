using System.IO.Compression;
using System.Text.Json;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Evidence;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Tests.Backup;

namespace ForgeOne.Core.Tests.Evidence;

public sealed class EvidenceExporterTests
{
    [Fact]
    public async Task A_package_verifies_and_maps_every_named_control()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var package = await ExportAsync(context);

        var verification = EvidenceVerifier.Verify(package.Path);

        Assert.True(verification.Passed, string.Join("; ", verification.Problems));
        Assert.Equal(package.PublicKey, verification.PublicKey);
        Assert.Equal(package.Files, verification.FilesChecked);
        Assert.Equal(
            ["A1.2", "A1.3", "CC6.1", "CC7.2", "CC7.5", "A.8.13", "A.8.15", "A.8.24", "A.5.30", "A.5.33", "Art. 5(1)(e)", "Art. 17", "Art. 30", "Art. 32(1)(b)", "Art. 32(1)(c)", "Art. 32(1)(d)"],
            package.Controls.Select(control => control.Control));
        Assert.Equal("A.12.3.1", package.Controls.Single(control => control.Control == "A.8.13").Iso2013);
        Assert.Equal(ControlStatus.Satisfied, package.Controls.Single(control => control.Control == "A1.3").Status);
        using var zip = ZipFile.OpenRead(package.Path);
        var snapshots = JsonDocument.Parse(zip.GetEntry("snapshots.json")!.Open());
        Assert.Equal(2, snapshots.RootElement.GetArrayLength());
        Assert.Equal(3, new StreamReader(zip.GetEntry("snapshots.csv")!.Open()).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Changing_one_byte_of_any_file_fails_verification_naming_that_file()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var package = await ExportAsync(context);
        string[] names;
        using (var zip = ZipFile.OpenRead(package.Path))
        {
            names = [.. zip.Entries.Select(entry => entry.FullName)];
        }

        foreach (var name in names)
        {
            var copy = Path.Join(context.TempPath, "tampered-" + name.Replace('/', '_') + ".zip");
            File.Copy(package.Path, copy);
            using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update))
            {
                var entry = zip.GetEntry(name)!;
                byte[] bytes;
                using (var stream = entry.Open())
                using (var memory = new MemoryStream())
                {
                    stream.CopyTo(memory);
                    bytes = memory.ToArray();
                }

                bytes = bytes.Length == 0 ? [0x0a] : bytes;
                bytes[bytes.Length / 2] ^= 0x01;
                entry.Delete();
                using var replaced = zip.CreateEntry(name).Open();
                replaced.Write(bytes);
            }

            var verification = EvidenceVerifier.Verify(copy);

            Assert.False(verification.Passed, name);
            var expected = name == EvidenceExporter.SignatureName ? EvidenceExporter.ManifestName : name;
            Assert.Contains(verification.Problems, problem => problem.File == expected || problem.File == name);
        }
    }

    [Fact]
    public async Task A_package_signed_by_another_repository_fails_against_the_expected_key()
    {
        await using var context = await EngineTestContext.CreateAsync();
        await using var other = await EngineTestContext.CreateAsync();
        var package = await ExportAsync(context);
        using var otherLog = ForgeOne.Core.Audit.AuditLog.Open(other.Repository);

        var verification = EvidenceVerifier.Verify(package.Path, otherLog.PublicKey.Hex);

        Assert.Contains(verification.Problems, problem => problem.File == EvidenceExporter.ManifestName && problem.Reason.Contains(otherLog.PublicKey.Hex, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_added_file_is_named()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var package = await ExportAsync(context);
        using (var zip = ZipFile.Open(package.Path, ZipArchiveMode.Update))
        {
            using var extra = zip.CreateEntry("notes.txt").Open();
            extra.Write("trust me"u8);
        }

        Assert.Contains(EvidenceVerifier.Verify(package.Path).Problems, problem => problem.File == "notes.txt");
    }

    internal static async Task<EvidencePackage> ExportAsync(EngineTestContext context)
    {
        context.Write("a.txt", "evidence");
        await context.BackupAsync();
        await context.BackupAsync();
        await DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions { RtoObjective = TimeSpan.FromHours(1) }, null, CancellationToken.None);
        await new RepositoryPolicies(context.Repository).SetRetentionPolicyAsync(new RetentionPolicy { KeepDaily = 7 }, "ops");
        return await EvidenceExporter.ExportAsync(context.Repository, new EvidenceOptions
        {
            Path = Path.Join(context.TempPath, "evidence.zip"),
            RpoObjective = TimeSpan.FromHours(24),
        }, CancellationToken.None);
    }
}
