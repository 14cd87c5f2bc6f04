namespace ForgeOne.Core.Store;

/// <summary>The repository holds no backup of the store (or none with the requested database).</summary>
public sealed class StoreBackupNotFoundException : StoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The store.</param>
    /// <param name="detail">What was looked for.</param>
    public StoreBackupNotFoundException(string path, string detail)
        : base($"The repository has no backup of the store at '{path}' {detail}. Back it up first with New-ForgeBackup -Store (forge backup create --all), or name a store backup with -Id (--snapshot).")
    {
        Path = path;
    }

    /// <summary>The store.</summary>
    public string Path { get; }
}
