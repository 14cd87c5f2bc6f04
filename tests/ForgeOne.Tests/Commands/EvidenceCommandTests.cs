using System.IO.Compression;
using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class EvidenceCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Package_of_piped_verifications_and_drills_verifies_offline()
    {
        var (repository, package) = Export();

        Assert.Equal("EvidencePackage", package.TypeName());
        Assert.NotEmpty(package.Items("Controls"));
        Assert.Contains(package.Items("Controls"), control => control.Get<string>("Framework") == "SOC 2");
        Assert.DoesNotContain(package.Items("Controls"), control => control.Get<string>("Framework") == "GDPR");
        using (var zip = ZipFile.OpenRead(package.Get<string>("Path")))
        {
            var verifications = new StreamReader(zip.GetEntry("verifications.json")!.Open()).ReadToEnd();
            var drills = new StreamReader(zip.GetEntry("drills.json")!.Open()).ReadToEnd();
            Assert.NotEqual("[]", verifications.Trim());
            Assert.Contains("validation", drills, StringComparison.Ordinal);
        }

        var verification = Assert.Single(repository.Run("$p | Test-ForgeEvidence", ("p", package)).ShouldSucceed().Output);

        Assert.Equal("EvidenceVerification", verification.TypeName());
        Assert.True(verification.Get<bool>("Passed"), string.Join("; ", verification.Items("Problems").Select(p => p.ToString())));
        Assert.Equal(package.Get<string>("PublicKey"), verification.Get<string>("PublicKey"));
        Assert.True(verification.Get<int>("FilesChecked") >= package.Get<int>("Files"));
    }

    [Fact]
    public void One_changed_byte_in_any_file_fails_verification_naming_that_file()
    {
        var (repository, package) = Export();
        var path = package.Get<string>("Path");
        string[] names;
        using (var zip = ZipFile.OpenRead(path))
        {
            names = [.. zip.Entries.Select(entry => entry.FullName)];
        }

        Assert.Contains("manifest.json", names);
        foreach (var name in names)
        {
            var copy = Path.Combine(repository.Root, "tampered-" + name.Replace('/', '_') + ".zip");
            File.Copy(path, copy);
            FlipByte(copy, name);

            var verification = Assert.Single(repository.Run("Test-ForgeEvidence -Path $p", ("p", copy)).ShouldSucceed().Output);

            Assert.False(verification.Get<bool>("Passed"), name);
            var expected = name == "manifest.sig" ? "manifest.json" : name;
            var files = verification.Items("Problems").Select(problem => problem.Get<string>("File")).ToList();
            Assert.True(files.Contains(expected) || files.Contains(name), $"{name}: problems name {string.Join(", ", files)}");
        }
    }

    [Fact]
    public void Package_checked_against_another_repositorys_key_fails()
    {
        var (repository, package) = Export();
        var other = new TestRepository(shell).Create();
        other.Backup();
        var otherKey = Assert.Single(other.Run("Export-ForgeEvidence -Repository $repo -KeyFile $key -Path $p", ("p", Path.Combine(other.Root, "o.zip")))
            .ShouldSucceed().Output).Get<string>("PublicKey");

        var verification = Assert.Single(repository.Run("Test-ForgeEvidence $p -PublicKey $k", ("p", package.Get<string>("Path")), ("k", otherKey)).ShouldSucceed().Output);

        Assert.NotEqual(otherKey, package.Get<string>("PublicKey"));
        Assert.False(verification.Get<bool>("Passed"));
    }

    [Fact]
    public void Existing_package_is_replaced_only_with_Force_and_unknown_input_is_an_error()
    {
        var (repository, package) = Export();

        var refused = repository.Run("Export-ForgeEvidence -Repository $repo -KeyFile $key -Path $p", ("p", package.Get<string>("Path")));
        var forced = repository.Run("'text' | Export-ForgeEvidence -Repository $repo -KeyFile $key -Path $p -Force", ("p", package.Get<string>("Path")));

        Assert.Empty(refused.Output);
        Assert.Contains("IOError,ForgeOne.Commands.ExportForgeEvidenceCommand", refused.ErrorIds);
        Assert.Contains("InvalidInputObject,ForgeOne.Commands.ExportForgeEvidenceCommand", forced.ErrorIds);
        Assert.Single(forced.Output);
    }

    private (TestRepository Repository, PSObject Package) Export()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();
        var package = Assert.Single(repository.Run("""
            $v = Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest -ReadData
            $d = Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Validation { $true }
            $v, $d | Export-ForgeEvidence -Repository $repo -KeyFile $key -Path "$root/evidence.zip" -Framework SOC2, ISO27001 -RpoObjective 24h
            """).ShouldSucceed().Output);
        return (repository, package);
    }

    // Rewrites one entry with one bit of its content flipped, as Core's own tampering test does.
    private static void FlipByte(string zipPath, string name)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Update);
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
}
