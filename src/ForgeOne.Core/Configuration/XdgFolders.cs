namespace ForgeOne.Core.Configuration;

/// <summary>The XDG base directories ForgeOne uses on Linux and other Unix systems (not macOS or Windows).</summary>
public static class XdgFolders
{
    /// <summary>
    /// The base directory named by <paramref name="variable"/> (for example <c>XDG_CONFIG_HOME</c>), or
    /// <paramref name="defaultUnderHome"/> under the user's home when it is unset or relative, which the XDG spec says
    /// must be ignored.
    /// </summary>
    /// <param name="variable">The environment variable.</param>
    /// <param name="defaultUnderHome">The default, relative to the home folder, for example <c>.config</c>.</param>
    /// <returns>The folder, or null when there is no home folder to fall back to.</returns>
    public static string? BaseDirectory(string variable, string defaultUnderHome)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(fromEnvironment) && Path.IsPathRooted(fromEnvironment))
        {
            return fromEnvironment;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length == 0 ? null : Path.Combine(home, defaultUnderHome);
    }
}
