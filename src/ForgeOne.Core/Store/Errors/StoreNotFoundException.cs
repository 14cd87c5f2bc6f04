namespace ForgeOne.Core.Store;

/// <summary>No store exists at the given path.</summary>
public sealed class StoreNotFoundException : StoreException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">Where a store was expected.</param>
    public StoreNotFoundException(string path)
        : base($"There is no ForgeOne store at '{path}' (no system.redb). Create one with New-ForgeStore or 'forge store init', or pass the right -Store / --store (or set FORGE_STORE).")
    {
        Path = path;
    }

    /// <summary>Where a store was expected.</summary>
    public string Path { get; }
}
