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

    /// <summary>Lowercase hex of <paramref name="id"/>.</summary>
    /// <remarks>Written directly rather than as <c>Convert.ToHexString(id).ToLowerInvariant()</c>: that makes two strings,
    /// and a store query formats a content hash for every entry it returns.</remarks>
    public static string ToHex(ReadOnlySpan<byte> id)
    {
        const int StackLimit = 256;
        var chars = id.Length <= StackLimit / 2 ? stackalloc char[id.Length * 2] : new char[id.Length * 2];
        for (var index = 0; index < id.Length; index++)
        {
            chars[2 * index] = LowerHexDigits[id[index] >> 4];
            chars[(2 * index) + 1] = LowerHexDigits[id[index] & 0xF];
        }

        return new string(chars);
    }

    private static ReadOnlySpan<char> LowerHexDigits => "0123456789abcdef";
}
