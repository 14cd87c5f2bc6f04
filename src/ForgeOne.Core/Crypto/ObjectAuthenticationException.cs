namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when a sealed object's AES-GCM tag does not verify.
/// </summary>
/// <remarks>
/// One type covers every cause the tag cannot tell apart: a flipped bit anywhere in the header, nonce,
/// ciphertext or tag; an object cut short but still longer than the minimum; an object moved or relabelled
/// to another <see cref="ObjectKind"/> or id; and an object opened with a key it was not sealed under.
/// </remarks>
public sealed class ObjectAuthenticationException : IntegrityException
{
    /// <summary>Creates the exception for one object.</summary>
    /// <param name="kind">Kind the caller expected.</param>
    /// <param name="objectId">Lower-case hex id the caller expected.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public ObjectAuthenticationException(ObjectKind kind, string objectId, Exception? innerException = null)
        : base(
            $"{ObjectNames.Describe(kind, objectId)} failed authentication: it was modified, cut short, stored " +
            "under another name, or sealed with another key. Run Test-ForgeRepository -ReadData " +
            "(forge check --read-data) to list the damaged objects, then repair from another copy.",
            kind,
            objectId,
            innerException)
    {
    }
}
