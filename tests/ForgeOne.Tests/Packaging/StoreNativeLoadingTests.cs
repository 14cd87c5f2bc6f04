using System.Runtime.Loader;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

/// <summary>
/// The packaged module brings SQLite with it: Microsoft.Data.Sqlite and SQLitePCLRaw load into the module's own
/// context, and the native e_sqlite3 from the module's dependencies/runtimes/&lt;rid&gt;/native folder.
/// </summary>
public sealed class StoreNativeLoadingTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private static string Dependencies => NativeLibraries.Dependencies;

    [Fact]
    public void Creating_a_store_loads_e_sqlite3_from_the_module_runtimes_folder()
    {
        var store = new TestStore(shell);

        store.Run("New-ForgeStore -Path $store -KeyFile $key -LogShards 1").ShouldSucceed();

        Assert.True(File.Exists(Path.Combine(store.Location, "system.redb")));
        NativeLibraries.AssertLoadedFromModuleRuntimes("e_sqlite3");
    }

    [Fact]
    public void SQLite_assemblies_load_in_the_module_context_not_the_default_one()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        store.Run("'hello' | Write-ForgeLog -Store $store -KeyFile $key -Topic app/x; $null = Get-ForgeLog -Store $store -KeyFile $key").ShouldSucceed();

        static bool IsSqlite(string? name) => name is not null
            && (name.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || name.StartsWith("SQLitePCLRaw", StringComparison.Ordinal));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, assembly => IsSqlite(assembly.GetName().Name));
        var module = Assert.Single(AssemblyLoadContext.All, context => context.Name == "ForgeOne");
        var ours = module.Assemblies.Where(assembly => IsSqlite(assembly.GetName().Name)).ToList();
        Assert.Contains(ours, assembly => assembly.GetName().Name == "Microsoft.Data.Sqlite");
        Assert.Contains(ours, assembly => assembly.GetName().Name == "SQLitePCLRaw.provider.e_sqlite3");
        Assert.All(ours, assembly => Assert.StartsWith(Dependencies, assembly.Location, StringComparison.Ordinal));
    }

    [Fact]
    public void The_package_ships_e_sqlite3_for_this_platform_under_dependencies_runtimes()
    {
        var native = Path.Combine(Dependencies, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");

        Assert.NotEmpty(Directory.GetFiles(native, "*e_sqlite3*"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(ModuleLayout.ManifestPath)!, "*e_sqlite3*", SearchOption.TopDirectoryOnly));
        Assert.DoesNotContain(Directory.GetFiles(Dependencies).Select(Path.GetFileName),
            name => name!.StartsWith("e_sqlite3", StringComparison.Ordinal) || name.StartsWith("libe_sqlite3", StringComparison.Ordinal));
    }
}
