namespace ForgeOne.Cli.Commands;

/// <summary>One line of b3sum's output, with its escaping of awkward file names.</summary>
internal static class B3sumLine
{
    // b3sum prefixes the line with a backslash and escapes \ and newline when a name holds either, and on Windows
    // prints '/' for the separator, so lines stay parseable by `b3sum --check`.
    internal static string Format(string hash, string path, bool noNames)
    {
        if (noNames)
        {
            return hash + "\n";
        }

        var name = OperatingSystem.IsWindows() ? path.Replace('\\', '/') : path;
        var escape = name.Contains('\\', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal);
        if (escape)
        {
            name = name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        }

        return $"{(escape ? "\\" : "")}{hash}  {name}\n";
    }
}
