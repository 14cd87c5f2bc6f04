namespace ForgeOne.Core.Configuration;

/// <summary>The ForgeOne config file cannot be used: it is not valid JSON, or it names a key that is refused or unknown.</summary>
public sealed class ForgeConfigException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The config file.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ForgeConfigException(string path, string problem, Exception? innerException = null)
        : base($"Config file '{path}': {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The config file.</summary>
    public string Path { get; }
}
