namespace ForgeOne.Core.Store;

/// <summary>A store, or other files, already exist where a new store was to be created.</summary>
public sealed class StoreExistsException : StoreException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The folder that is not empty.</param>
    public StoreExistsException(string path)
        : base($"'{path}' is not empty; a new store needs an empty or missing folder. Choose another path, or open the existing store.")
    {
        Path = path;
    }

    /// <summary>The folder that is not empty.</summary>
    public string Path { get; }
}
