using System.Runtime.InteropServices;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

/// <summary>
/// The packaged module brings libsodium, which computes Argon2id for passphrase slots: the module's load context
/// must find it in dependencies/runtimes/&lt;rid&gt;/native, or every passphrase open silently falls back to the much
/// slower BouncyCastle.
/// </summary>
public sealed class SodiumNativeLoadingTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Opening_a_passphrase_repository_uses_libsodium_from_the_module_runtimes_folder()
    {
        var repository = new TestRepository(shell);
        var credential = ("cred", (object)TestRepository.Credential("sodium pw"));

        repository.Run("$null = New-ForgeRepository -Path $repo -Credential $cred", credential).ShouldSucceed();
        var key = Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -Credential $cred", credential).ShouldSucceed().Output);

        NativeLibraries.AssertCoreUses(key, "ForgeOne.Core.Crypto.SodiumArgon2");
        NativeLibraries.AssertLoadedFromModuleRuntimes("libsodium");
    }

    [Fact]
    public void The_package_ships_libsodium_for_this_platform_under_dependencies_runtimes()
    {
        var native = Path.Combine(NativeLibraries.Dependencies, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");

        Assert.NotEmpty(Directory.GetFiles(native, "libsodium.*"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(ModuleLayout.ManifestPath)!, "libsodium*", SearchOption.TopDirectoryOnly));
        Assert.Empty(Directory.GetFiles(NativeLibraries.Dependencies, "libsodium*", SearchOption.TopDirectoryOnly));
    }
}
