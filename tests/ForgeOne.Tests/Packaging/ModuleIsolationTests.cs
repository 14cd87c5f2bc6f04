using System.Reflection;
using System.Runtime.Loader;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

public sealed class ModuleIsolationTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private static AssemblyLoadContext ModuleContext =>
        Assert.Single(AssemblyLoadContext.All, c => c.Name == "ForgeOne");

    [Fact]
    public void Core_and_its_dependencies_load_in_the_module_context_not_the_default_one()
    {
        var file = Path.Combine(shell.TempDirectory, "isolation.bin");
        File.WriteAllBytes(file, [1, 2, 3]);
        shell.Run("Get-ForgeHash -LiteralPath $file", new Dictionary<string, object> { ["file"] = file }).ShouldSucceed();

        var defaultNames = AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName().Name).ToList();
        Assert.DoesNotContain("ForgeOne.Core", defaultNames);
        Assert.DoesNotContain("BouncyCastle.Cryptography", defaultNames);
        Assert.Contains("ForgeOne.Core", ModuleContext.Assemblies.Select(a => a.GetName().Name));
    }

    [Fact]
    public void A_conflicting_version_in_the_default_context_does_not_reach_the_module()
    {
        // Another module got here first with an older ZstdSharp.
        var theirs = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("ZstdSharp"));
        Assert.Equal(new Version(0, 7, 3, 0), theirs.GetName().Version);
        shell.Run("Get-Module ForgeOne").ShouldSucceed();

        var ours = ModuleContext.LoadFromAssemblyName(new AssemblyName("ZstdSharp"));

        Assert.NotSame(theirs, ours);
        Assert.Equal(new Version(0, 8, 8, 0), ours.GetName().Version);
        Assert.StartsWith(Path.GetDirectoryName(ModuleLayout.ManifestPath)!, ours.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_libraries_resolve_from_the_module_runtimes_folder()
    {
        // The probing order the module's context uses, so SQLite's e_sqlite3 is found once a later issue ships it.
        var dependencies = Path.Combine(Path.GetDirectoryName(ModuleLayout.ManifestPath)!, "dependencies");
        var loader = ModuleContext.GetType().Assembly.GetType("ForgeOne.Loading.NativeLibraryCandidates", throwOnError: true)!;
        var candidates = ((IEnumerable<string>)loader.GetMethod("For", BindingFlags.NonPublic | BindingFlags.Static)!
            .Invoke(null, [dependencies, "e_sqlite3"])!).ToList();

        var expected = OperatingSystem.IsLinux() ? "runtimes/linux-x64/native/libe_sqlite3.so" : null;
        if (expected is not null && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Contains(Path.Combine(dependencies, expected), candidates);
        }

        Assert.All(candidates, c => Assert.StartsWith(dependencies, c, StringComparison.Ordinal));
    }
}
