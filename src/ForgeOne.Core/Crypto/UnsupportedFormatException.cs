namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when stored data uses a format version, algorithm, codec or key slot kind this build of
/// ForgeOne does not know, typically because a newer ForgeOne wrote it.
/// </summary>
/// <remarks>
/// Readers refuse unknown values rather than guessing, so new formats can never be misread as old ones.
/// </remarks>
public sealed class UnsupportedFormatException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Kind of the object, when known.</param>
    /// <param name="objectId">Lower-case hex id of the object, when known.</param>
    /// <param name="feature">What was unknown, for example "envelope version".</param>
    /// <param name="found">The value found, for example "7".</param>
    /// <param name="supported">The values this build supports, for example "1".</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public UnsupportedFormatException(
        ObjectKind? kind, string? objectId, string feature, string found, string supported, Exception? innerException = null)
        : base(
            $"{(kind is { } k ? ObjectNames.Describe(k, objectId) : "The object")} uses {feature} {found}, but this " +
            $"build of ForgeOne supports only {supported}. Upgrade ForgeOne to read it.",
            innerException)
    {
        Kind = kind;
        ObjectId = objectId;
        Feature = feature;
        Found = found;
        Supported = supported;
    }

    /// <summary>Kind of the object, when known.</summary>
    public ObjectKind? Kind { get; }

    /// <summary>Lower-case hex id of the object, when known.</summary>
    public string? ObjectId { get; }

    /// <summary>What was unknown, for example "envelope version".</summary>
    public string Feature { get; }

    /// <summary>The value found.</summary>
    public string Found { get; }

    /// <summary>The values this build supports.</summary>
    public string Supported { get; }
}
