using System.Runtime.InteropServices;

namespace ForgeOne.Loading;

/// <summary>Where a native library of a NuGet package sits in the module for the current platform.</summary>
internal static class NativeLibraryCandidates
{
    /// <summary>Paths to try, most specific runtime identifier first.</summary>
    internal static IEnumerable<string> For(string dependenciesDirectory, string libraryName)
    {
        foreach (var rid in RuntimeIdentifiers())
        {
            var native = Path.Combine(dependenciesDirectory, "runtimes", rid, "native");
            foreach (var fileName in FileNames(libraryName))
            {
                yield return Path.Combine(native, fileName);
            }
        }
    }

    internal static IEnumerable<string> RuntimeIdentifiers()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsWindows())
        {
            yield return "win-" + arch;
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "osx-" + arch;
            yield return "osx";
        }
        else
        {
            if (IsMusl())
            {
                yield return "linux-musl-" + arch;
            }

            yield return "linux-" + arch;
        }
    }

    private static IEnumerable<string> FileNames(string libraryName)
    {
        yield return libraryName;
        if (OperatingSystem.IsWindows())
        {
            yield return libraryName + ".dll";
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "lib" + libraryName + ".dylib";
            yield return libraryName + ".dylib";
        }
        else
        {
            yield return "lib" + libraryName + ".so";
            yield return libraryName + ".so";
        }
    }

    // Alpine and other musl distributions need the linux-musl build of a native library.
    private static bool IsMusl() =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase)
        || File.Exists("/lib/ld-musl-x86_64.so.1") || File.Exists("/lib/ld-musl-aarch64.so.1");
}
