namespace ForgeOne.Core.Crypto;

/// <summary>Formats an object's kind and id for messages, the same way everywhere.</summary>
internal static class ObjectNames
{
    // Ids longer than this are shortened in messages; the full id stays in the exception's ObjectId.
    private const int MaxHexInMessage = 64;

    public static string Describe(ObjectKind kind, string? objectId)
    {
        if (string.IsNullOrEmpty(objectId))
        {
            return $"{kind} object";
        }

        return objectId.Length <= MaxHexInMessage
            ? $"{kind} {objectId}"
            : $"{kind} {objectId[..MaxHexInMessage]}…";
    }

    public static string ToHex(ReadOnlySpan<byte> id) => Convert.ToHexString(id).ToLowerInvariant();
}
