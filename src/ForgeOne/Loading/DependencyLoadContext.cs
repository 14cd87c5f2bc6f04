using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ForgeOne.Loading;

/// <summary>
/// The module's private load context: ForgeOne.Core and every third-party assembly and native library it needs
/// load from the module's <c>dependencies/</c> folder here, so another module's version of the same library
/// never clashes with ours in one pwsh session.
/// </summary>
/// <remarks>
/// This is the pattern PowerShell's documentation recommends for binary modules with dependencies
/// ("Resolving PowerShell module assembly dependency conflicts"). Assemblies this folder does not hold
/// (the runtime, System.Management.Automation) fall back to the default context, so types shared with
/// the host keep their identity.
/// </remarks>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    internal DependencyLoadContext(string directory)
        : base("ForgeOne", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>The folder this context loads from.</summary>
    internal string Directory => _directory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    // The host ignores our deps.json, so SQLite's e_sqlite3 and friends are found here from runtimes/<rid>/native.
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var candidate in NativeLibraryCandidates.For(_directory, unmanagedDllName))
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
