using System.Runtime.Loader;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

/// <summary>
/// Where libsodium loads, the common path (a passphrase repository, a backup that signs its audit record, a check of
/// the log's signatures) must never load BouncyCastle: its 5 MB assembly and Ed25519 tables cost every short command
/// start-up time and about 4 MiB.
/// </summary>
/// <remarks>
/// The module's load context lives as long as the test process, so this fails when any test of this assembly that ran
/// before it loaded BouncyCastle; every command these tests run is a common path, so that is a regression too.
/// </remarks>
public sealed class BouncyCastleLoadingTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Passphrase_backup_and_audit_check_do_not_load_BouncyCastle_in_the_module_context()
    {
        var repository = new TestRepository(shell);
        var credential = ("cred", (object)TestRepository.Credential("audit pw"));
        SampleData.Write(repository.Source, withLargeFile: false);

        repository.Run("$null = New-ForgeRepository -Path $repo -Credential $cred", credential).ShouldSucceed();
        Assert.Single(repository.Run("New-ForgeBackup -Repository $repo -Credential $cred -Path $source", credential).ShouldSucceed().Output);
        var check = Assert.Single(repository.Run("Test-ForgeAuditLog -Repository $repo -Credential $cred", credential).ShouldSucceed().Output);

        // The backup's record was signed and its signature checked, so both halves of Ed25519 ran.
        Assert.True(check.Get<bool>("Passed"), check.Get<string>("Message"));
        Assert.True(check.Get<long>("RecordsChecked") >= 1);
        var module = Assert.Single(AssemblyLoadContext.All, context => context.Name == "ForgeOne");
        var loaded = module.Assemblies.Select(assembly => assembly.GetName().Name).ToList();
        Assert.Contains("ForgeOne.Core", loaded);
        Assert.DoesNotContain("BouncyCastle.Cryptography", loaded);
    }
}
