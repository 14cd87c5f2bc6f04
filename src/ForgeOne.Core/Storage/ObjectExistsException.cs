namespace ForgeOne.Core.Storage;

/// <summary>
/// <see cref="IStorageBackend.WriteOnceAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/> found an object
/// under the name already; the existing object was left unchanged and the new content was not stored.
/// </summary>
/// <remarks>
/// This is how the repository learns that it lost a race (another process took a lock or committed a snapshot
/// under the same name) or that content-addressed data is already present. Callers that expect it catch it and
/// decide; it is never transient, because retrying the same write always fails the same way.
/// </remarks>
public sealed class ObjectExistsException : StorageException
{
    /// <summary>Creates the exception for an object name that is already taken.</summary>
    /// <param name="objectName">The name that was being written.</param>
    /// <param name="location">The backend's <see cref="IStorageBackend.Location"/>; never contains credentials.</param>
    /// <param name="innerException">The platform failure that reported the conflict, if any.</param>
    public ObjectExistsException(string objectName, string location, Exception? innerException = null)
        : base($"Object '{objectName}' already exists in '{location}', and objects are never overwritten. " +
            "Write under a new name, or delete the existing object first if it is known to be stale.",
            innerException)
    {
        ObjectName = objectName;
        Location = location;
    }

    /// <summary>The name that was already taken.</summary>
    public string ObjectName { get; }

    /// <summary>The backend location the object is in.</summary>
    public string Location { get; }
}
