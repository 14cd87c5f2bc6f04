using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

/// <summary>
/// The packaged module brings libzstd, which compresses backed-up chunks: the module's load context must find it in
/// dependencies/runtimes/&lt;rid&gt;/native, or every backup silently falls back to the slower managed port.
/// </summary>
public sealed class ZstdNativeLoadingTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void A_backup_compresses_with_libzstd_from_the_module_runtimes_folder()
    {
        var repository = new TestRepository(shell);
        SampleData.Write(repository.Source, withLargeFile: false);
        File.WriteAllText(Path.Combine(repository.Source, "app.log"),
            string.Concat(Enumerable.Range(0, 20_000).Select(i => $"GET /api/orders/{i * 7919 % 100000} 200 {i % 1000}ms\n")));

        repository.Run("$null = New-ForgeRepository -Path $repo -KeyFile $key").ShouldSucceed();
        var snapshot = Assert.Single(repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source").ShouldSucceed().Output);

        // Compression happened: the text stored smaller than it is.
        Assert.True(snapshot.Get<long>("StoredBytes") < snapshot.Get<long>("LogicalBytes"));
        NativeLibraries.AssertCoreUses(snapshot, "ForgeOne.Core.Compression.NativeZstdCompressor");
        NativeLibraries.AssertLoadedFromModuleRuntimes("libzstd");
    }
}
