namespace ForgeOne.Core.Snapshots;

/// <summary>
/// Thrown when a DNA listing meets a path it cannot hold: one with a line feed, since the listing has one line
/// per entry and the shell recipe reads paths line by line.
/// </summary>
/// <remarks>
/// The DNA hash of such a folder or snapshot is undefined rather than guessed, so the two sides of a comparison
/// can never silently disagree about it. Backups still store such names; only the DNA is missing.
/// </remarks>
public sealed class UnrepresentablePathException : ForgeException
{
    /// <summary>Creates the exception for one path.</summary>
    /// <param name="path">The relative path holding the line feed.</param>
    public UnrepresentablePathException(string path)
        : base(
            $"The path \"{Show(path)}\" holds a line feed, so it has no line in a DNA listing and no DNA hash can be " +
            "computed. Rename the entry, or compare the folders file by file.")
    {
        Path = path;
    }

    /// <summary>The relative path, '/'-separated, exactly as found.</summary>
    public string Path { get; }

    // Shown on one line, with the line feeds visible.
    private static string Show(string path) =>
        (path.Length <= 200 ? path : path[..200] + "…").Replace("\n", "\\n", StringComparison.Ordinal);
}
