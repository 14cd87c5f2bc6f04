namespace ForgeOne.Core.Storage;

/// <summary>A read needed an object that the backend does not have.</summary>
/// <remarks>
/// <see cref="IStorageBackend.StatAsync"/> reports a missing object by returning null instead; reads
/// (<see cref="IStorageBackend.ReadAsync"/>, <see cref="IStorageBackend.OpenReadAsync"/> and
/// <see cref="StorageBackendExtensions.ReadAllAsync(IStorageBackend, string, CancellationToken)"/>) throw this.
/// An object that the repository's index or a snapshot refers to but the backend lacks means the repository
/// is damaged or was pruned concurrently.
/// </remarks>
public sealed class StorageObjectNotFoundException : StorageException
{
    /// <summary>Creates the exception for a missing object.</summary>
    /// <param name="objectName">The name that was looked up.</param>
    /// <param name="location">The backend's <see cref="IStorageBackend.Location"/>; never contains credentials.</param>
    /// <param name="innerException">The platform failure that reported the absence, if any.</param>
    public StorageObjectNotFoundException(string objectName, string location, Exception? innerException = null)
        : base($"Object '{objectName}' was not found in '{location}'. Check that the repository location is right " +
            "and that no other process deleted the object (for example a concurrent prune).",
            innerException)
    {
        ObjectName = objectName;
        Location = location;
    }

    /// <summary>The name that was looked up.</summary>
    public string ObjectName { get; }

    /// <summary>The backend location that was searched.</summary>
    public string Location { get; }
}
