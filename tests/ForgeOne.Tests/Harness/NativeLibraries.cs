using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ForgeOne.Tests.Harness;

/// <summary>Where the native libraries the packaged module needs were loaded from, in this test process.</summary>
public static class NativeLibraries
{
    /// <summary>The packaged module's dependencies folder.</summary>
    public static string Dependencies => Path.Combine(Path.GetDirectoryName(ModuleLayout.ManifestPath)!, "dependencies");

    /// <summary>
    /// Checks that <paramref name="fromCore"/> (an object a cmdlet wrote) came from the ForgeOne.Core loaded in the
    /// module's own context, and that its type <paramref name="wrapper"/> reports its native library loaded
    /// (an internal static <c>IsAvailable</c>).
    /// </summary>
    public static void AssertCoreUses(object fromCore, string wrapper)
    {
        var core = (fromCore is PSObject wrapped ? wrapped.BaseObject : fromCore).GetType().Assembly;
        Assert.Equal("ForgeOne", AssemblyLoadContext.GetLoadContext(core)?.Name);
        var type = core.GetType(wrapper, throwOnError: true)!;
        Assert.True((bool)type.GetProperty("IsAvailable", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!, $"{wrapper} has no native library");
    }

    /// <summary>
    /// Checks that exactly one native library whose file name contains <paramref name="name"/> is loaded, and that it
    /// came from the module's <c>dependencies/runtimes/&lt;rid&gt;/native</c> folder.
    /// </summary>
    public static void AssertLoadedFromModuleRuntimes(string name)
    {
        var loaded = Process.GetCurrentProcess().Modules.Cast<ProcessModule>()
            .Where(module => module.ModuleName.Contains(name, StringComparison.OrdinalIgnoreCase))
            .Select(module => module.FileName)
            .Distinct()
            .ToList();
        var path = Assert.Single(loaded);
        Assert.StartsWith(Path.Combine(Dependencies, "runtimes"), path, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("native", ""), path, StringComparison.Ordinal);
    }
}
