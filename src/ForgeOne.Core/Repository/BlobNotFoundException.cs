namespace ForgeOne.Core.Repository;

/// <summary>
/// A blob is not in the repository's index, so it cannot be read: a tree or snapshot refers to data that was never
/// stored, was pruned, or whose index file is missing.
/// </summary>
public sealed class BlobNotFoundException : RepositoryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The backend's location.</param>
    /// <param name="blobId">The blob that is missing.</param>
    /// <param name="blobType">Its type.</param>
    public BlobNotFoundException(string location, BlobId blobId, BlobType blobType)
        : base(location,
            $"{blobType} blob {blobId} is not in the index of '{location}'. Run Test-ForgeRepository (forge check) to " +
            "find which snapshots and files need it; if index files were lost, rebuild the index from the packs.")
    {
        BlobId = blobId;
        BlobType = blobType;
    }

    /// <summary>The missing blob.</summary>
    public BlobId BlobId { get; }

    /// <summary>The missing blob's type.</summary>
    public BlobType BlobType { get; }
}
