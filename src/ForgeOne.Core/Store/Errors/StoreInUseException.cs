namespace ForgeOne.Core.Store;

/// <summary>An operation that needs the store to itself (restoring a database) found another process using it.</summary>
public sealed class StoreInUseException : StoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The store.</param>
    /// <param name="innerException">The failed lock attempt.</param>
    public StoreInUseException(string path, Exception? innerException = null)
        : base($"The store at '{path}' is in use by another process. Stop the processes writing to it (services, runbooks, other pwsh sessions) and try again.", innerException)
    {
        Path = path;
    }

    /// <summary>The store.</summary>
    public string Path { get; }

    /// <summary>The other process may finish soon.</summary>
    public override bool IsTransient => true;
}
