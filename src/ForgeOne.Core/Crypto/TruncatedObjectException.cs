namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when a sealed object is shorter than the smallest valid envelope (<see cref="Envelope.Overhead"/>
/// bytes), so it cannot even be authenticated.
/// </summary>
/// <remarks>
/// An object cut short but still at least that long fails its tag instead and gets an
/// <see cref="ObjectAuthenticationException"/>.
/// </remarks>
public sealed class TruncatedObjectException : IntegrityException
{
    /// <summary>Creates the exception for one object.</summary>
    /// <param name="kind">Kind the caller expected.</param>
    /// <param name="objectId">Lower-case hex id the caller expected.</param>
    /// <param name="length">Length actually found, in bytes.</param>
    /// <param name="minimumLength">Smallest length a valid object could have.</param>
    public TruncatedObjectException(ObjectKind kind, string objectId, int length, int minimumLength)
        : base(
            $"{ObjectNames.Describe(kind, objectId)} is {length} bytes, shorter than the smallest sealed object " +
            $"({minimumLength} bytes): it was cut short in storage or transfer. Run Test-ForgeRepository -ReadData " +
            "(forge check --read-data) to list the damaged objects, then repair from another copy.",
            kind,
            objectId)
    {
        Length = length;
        MinimumLength = minimumLength;
    }

    /// <summary>Length found, in bytes.</summary>
    public int Length { get; }

    /// <summary>Smallest length a valid sealed object has, in bytes.</summary>
    public int MinimumLength { get; }
}
