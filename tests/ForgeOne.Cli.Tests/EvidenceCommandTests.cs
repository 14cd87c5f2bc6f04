using System.IO.Compression;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge evidence export|verify</c>: a signed package written from a real repository and checked offline.</summary>
public sealed class EvidenceCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-evidence-");
    private readonly TestRepository _repository;

    public EvidenceCommandTests()
    {
        _repository = TestRepository.Init(_scratch["repo"]);
        var source = _scratch["data"];
        TestFiles.WriteText(Path.Combine(source, "notes.txt"), 20_000, 1);
        _repository.Backup(source);
        _repository.Run("drill", "run").Expect(0);
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Exported_package_verifies_offline_and_a_changed_byte_is_reported_with_its_file()
    {
        var package = _scratch["evidence.zip"];
        var export = _repository.Run("evidence", "export", "--output", package, "--framework", "SOC2,GDPR", "--rpo", "24h").Expect(0).Output;
        Assert.Contains($"wrote {package}", export, StringComparison.Ordinal);
        Assert.Contains("open report.html inside it", export, StringComparison.Ordinal);

        // No repository and no credentials: verify needs only the file.
        var verified = Forge.Run("evidence", "verify", package).Expect(0).Output;
        Assert.StartsWith($"verified {package}: ", verified, StringComparison.Ordinal);

        // A second export refuses to replace it without --force.
        Assert.Contains(package, _repository.Run("evidence", "export", "--output", package).Expect(ExitCodes.Failure).Error, StringComparison.Ordinal);

        // One byte of one file inside changes: verify names that file and exits 3.
        string changed;
        using (var zip = ZipFile.Open(package, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.First(e => e.FullName.EndsWith(".csv", StringComparison.Ordinal));
            changed = entry.FullName;
            byte[] bytes;
            using (var stream = entry.Open())
            using (var memory = new MemoryStream())
            {
                stream.CopyTo(memory);
                bytes = memory.ToArray();
            }

            bytes[bytes.Length / 2] ^= 0x01;
            entry.Delete();
            using var replaced = zip.CreateEntry(changed).Open();
            replaced.Write(bytes);
        }

        var failed = Forge.Run("evidence", "verify", package).Expect(ExitCodes.DamageFound);
        Assert.Contains(failed.Output.Split('\n'), line => line.StartsWith(changed + ": ", StringComparison.Ordinal));
        Assert.Contains("1 problem(s) in ", failed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_with_another_public_key_fails()
    {
        var package = _scratch["evidence.zip"];
        _repository.Run("evidence", "export", "--output", package).Expect(0);

        Forge.Run("evidence", "verify", package, "--public-key", new string('a', 64)).Expect(ExitCodes.DamageFound);
        Forge.Run("evidence", "verify", package, "--public-key", "xyz").Expect(ExitCodes.Usage);
        _repository.Run("evidence", "export", "--output", package, "--force").Expect(0);
        Forge.Run("evidence", "verify", package).Expect(0);
    }
}
