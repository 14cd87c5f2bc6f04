namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when an object does not parse although nothing proves tampering: authentic envelope contents
/// that do not decompress, or a key slot whose JSON is invalid or out of range.
/// </summary>
/// <remarks>
/// Authentic contents that fail to decode point to a bug in the writer (or a stolen key); a malformed key
/// slot may be damage or an edit. Either way the object is refused rather than guessed at.
/// </remarks>
public sealed class MalformedObjectException : IntegrityException
{
    /// <summary>Creates the exception for one object.</summary>
    /// <param name="kind">Kind of the object.</param>
    /// <param name="objectId">Lower-case hex id of the object, or null when it could not be read.</param>
    /// <param name="problem">What is wrong, as a sentence fragment without secrets.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public MalformedObjectException(ObjectKind kind, string? objectId, string problem, Exception? innerException = null)
        : base(
            $"{ObjectNames.Describe(kind, objectId)} is malformed: {problem}. Restore it from another copy " +
            "(for a key slot: remove it with Remove-ForgeKey and unlock with another slot).",
            kind,
            objectId,
            innerException)
    {
        Problem = problem;
    }

    /// <summary>What is wrong with the object.</summary>
    public string Problem { get; }
}
