namespace ForgeOne.Core.Store;

/// <summary>
/// A store file is not what it should be: not a ForgeOne store database, another store's file, the wrong kind or
/// shard for its name, or a schema this build does not know.
/// </summary>
public sealed class StoreFormatException : StoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong with it and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StoreFormatException(string path, string problem, Exception? innerException = null)
        : base($"'{path}': {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
}
