namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when an object's plaintext would exceed the limit its reader set, so a hostile or damaged
/// object cannot make the reader allocate or decompress without bound.
/// </summary>
/// <remarks>
/// The check runs before any output is written for stored objects, and while decompressing for compressed
/// ones; either way no more than the limit is ever produced.
/// </remarks>
public sealed class ObjectTooLargeException : IntegrityException
{
    /// <summary>Creates the exception for one object.</summary>
    /// <param name="kind">Kind the caller expected.</param>
    /// <param name="objectId">Lower-case hex id the caller expected.</param>
    /// <param name="limit">Largest plaintext the reader accepts, in bytes.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public ObjectTooLargeException(ObjectKind kind, string objectId, int limit, Exception? innerException = null)
        : base(
            $"{ObjectNames.Describe(kind, objectId)} holds more than {limit} bytes of plaintext, the most allowed " +
            "for it. If a newer ForgeOne wrote it, upgrade ForgeOne; otherwise run Test-ForgeRepository -ReadData " +
            "(forge check --read-data) to find damaged objects.",
            kind,
            objectId,
            innerException)
    {
        Limit = limit;
    }

    /// <summary>Largest plaintext the reader accepted, in bytes.</summary>
    public int Limit { get; }
}
