using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// A blob read from a pack failed a check: it does not authenticate (modified, cut short, moved or relabelled), does not
/// decode, or its plaintext does not hash to its id. Names both the blob and the pack it was read from.
/// </summary>
/// <remarks>
/// The envelope's own <see cref="IntegrityException"/> (for example <see cref="ObjectAuthenticationException"/>) is kept
/// as <see cref="Exception.InnerException"/>. A pack whose header cannot be read is a <see cref="MalformedPackException"/>
/// instead; a blob the index does not list is a <see cref="BlobNotFoundException"/>.
/// </remarks>
public sealed class BlobIntegrityException : IntegrityException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="packId">The pack the blob was read from.</param>
    /// <param name="blobId">The blob.</param>
    /// <param name="blobType">The blob's type.</param>
    /// <param name="problem">What failed, as a sentence fragment (for example "failed authentication").</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public BlobIntegrityException(PackId packId, BlobId blobId, BlobType blobType, string problem, Exception? innerException = null)
        : base(
            $"{blobType} blob {blobId} in pack {packId} {problem}. Run Test-ForgeRepository -ReadData " +
            "(forge check --read-data) to list the affected files, then restore them from another copy or back them " +
            "up again.",
            blobType == BlobType.Tree ? ObjectKind.Tree : ObjectKind.Chunk,
            blobId.ToString(),
            innerException)
    {
        PackId = packId;
        BlobId = blobId;
        BlobType = blobType;
        Problem = problem;
    }

    /// <summary>The pack the blob was read from.</summary>
    public PackId PackId { get; }

    /// <summary>The blob that failed.</summary>
    public BlobId BlobId { get; }

    /// <summary>The blob's type.</summary>
    public BlobType BlobType { get; }

    /// <summary>What failed.</summary>
    public string Problem { get; }
}
