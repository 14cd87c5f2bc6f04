namespace ForgeOne.Cli.Tests;

/// <summary>A temporary folder for one test, deleted with everything in it when the test ends.</summary>
public sealed class ScratchFolder : IDisposable
{
    /// <summary>Creates an empty folder under the system's temporary folder.</summary>
    public ScratchFolder(string prefix = "cli-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside the folder (not created).</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes the folder; a file still open elsewhere only leaves it behind.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover under /tmp does not change any result.
        }
    }
}
