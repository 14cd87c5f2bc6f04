using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ForgeOne.Loading;

/// <summary>
/// Runs when <c>Import-Module ForgeOne</c> loads this assembly: routes the one assembly the cmdlets reference
/// directly, ForgeOne.Core, into the module's private load context, from where all of Core's own dependencies resolve.
/// </summary>
/// <remarks>Not for use from scripts; PowerShell calls it.</remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly Lazy<DependencyLoadContext> Context = new(() =>
        new DependencyLoadContext(Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies")));

    /// <summary>Creates the module's load context and hooks the default context's resolution of ForgeOne.Core.</summary>
    /// <remarks>The context is made here, not on first use, so it exists (and can be inspected) as soon as the module is imported.</remarks>
    public void OnImport()
    {
        _ = Context.Value;
        AssemblyLoadContext.Default.Resolving += ResolveCore;
    }

    /// <summary>Unhooks it when the module is removed.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveCore;

    // Only Core is redirected: answering for anything else would drag other modules' requests into our context.
    private static Assembly? ResolveCore(AssemblyLoadContext defaultContext, AssemblyName assemblyName) =>
        assemblyName.Name == "ForgeOne.Core" ? Context.Value.LoadFromAssemblyName(assemblyName) : null;
}
