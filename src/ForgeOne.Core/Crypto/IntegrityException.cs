namespace ForgeOne.Core.Crypto;

/// <summary>
/// Base for stored data that fails a check: an object that does not authenticate, is cut short, is larger
/// than its reader allows, or is authentic but does not decode.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="ObjectAuthenticationException"/>: the AES-GCM tag fails (tampered, truncated past the
/// header, relabelled to another kind or id, or sealed under another key).</item>
/// <item><see cref="TruncatedObjectException"/>: too short to hold even an empty sealed object.</item>
/// <item><see cref="ObjectTooLargeException"/>: plaintext above the caller's limit.</item>
/// <item><see cref="MalformedObjectException"/>: authentic bytes or a key slot that do not parse.</item>
/// </list>
/// A format this build does not know is an <see cref="UnsupportedFormatException"/>, not an integrity failure.
/// </remarks>
public abstract class IntegrityException : ForgeException
{
    /// <summary>Creates the exception for one object.</summary>
    /// <param name="message">Names the object, the problem and the fix.</param>
    /// <param name="kind">Kind of the object, when known.</param>
    /// <param name="objectId">Lower-case hex id of the object, when known.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    protected IntegrityException(string message, ObjectKind? kind, string? objectId, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ObjectId = objectId;
    }

    /// <summary>Kind of the object that failed, when known.</summary>
    public ObjectKind? Kind { get; }

    /// <summary>Lower-case hex id of the object that failed, when known (empty for singleton objects).</summary>
    public string? ObjectId { get; }
}
