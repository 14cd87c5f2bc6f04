namespace ForgeOne.Tests.Harness;

/// <summary>Finds the repository and the packaged module the build laid out under out/.</summary>
public static class ModuleLayout
{
    /// <summary>The repository root: the nearest folder up from the tests holding ForgeOne.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The version in the source manifest, which names the packaged folder.</summary>
    public static string Version { get; } = ReadManifestVersion(Path.Combine(RepositoryRoot, "ForgeOne.psd1"));

    /// <summary>out/ForgeOne/&lt;version&gt;/ForgeOne.psd1.</summary>
    public static string ManifestPath { get; } = Path.Combine(RepositoryRoot, "out", "ForgeOne", Version, "ForgeOne.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ForgeOne.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ForgeOne.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ReadManifestVersion(string manifest)
    {
        var line = File.ReadLines(manifest).First(l => l.TrimStart().StartsWith("ModuleVersion", StringComparison.Ordinal));
        return line.Split('\'')[1];
    }
}
