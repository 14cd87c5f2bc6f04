using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Storage;

/// <summary>
/// Validates object names and listing prefixes, the keys every <see cref="IStorageBackend"/> stores objects
/// under.
/// </summary>
/// <remarks>
/// <para>
/// A name is a relative key of one or more segments joined by <see cref="Separator"/> ('/'), for example
/// <c>data/3f/3f2a91c0…</c> or <c>snapshots/9b1e…</c>. Each segment is 1 to <see cref="MaximumSegmentLength"/>
/// characters from <c>[A-Za-z0-9._-]</c> and is neither <c>.</c> nor <c>..</c>; the whole name is at most
/// <see cref="MaximumLength"/> characters. So a name is never empty, never absolute, never has an empty
/// segment (no leading, trailing or doubled '/'), and never contains a backslash, a control character,
/// a space or anything a file system or object store would interpret.
/// </para>
/// <para>
/// These rules are the intersection of what local file systems (255-byte file names, no '/' or NUL, '\'
/// on Windows), Azure Blob Storage (1,024-character names) and S3 (1,024-byte keys) accept, so a
/// repository can be copied between backends unchanged. Backends map names to their own paths; a name
/// is never used as a path without being validated first.
/// </para>
/// </remarks>
public static class StorageName
{
    /// <summary>The segment separator, '/', on every backend and platform.</summary>
    public const char Separator = '/';

    /// <summary>The longest accepted name, 1,024 characters (the limit of S3 keys and Azure blob names).</summary>
    public const int MaximumLength = 1024;

    /// <summary>The longest accepted segment, 255 characters (the file name limit of common file systems).</summary>
    public const int MaximumSegmentLength = 255;

    /// <summary>Returns true when <paramref name="name"/> is a valid object name.</summary>
    /// <param name="name">The candidate name; null is not valid.</param>
    /// <returns>True when <see cref="Validate"/> would accept the name.</returns>
    public static bool IsValid(string? name) => name is not null && FindNameProblem(name) is null;

    /// <summary>Returns true when <paramref name="prefix"/> is a valid listing prefix.</summary>
    /// <param name="prefix">The candidate prefix; null is not valid, the empty string is.</param>
    /// <returns>True when <see cref="ValidatePrefix"/> would accept the prefix.</returns>
    public static bool IsValidPrefix(string? prefix) => prefix is not null && FindPrefixProblem(prefix) is null;

    /// <summary>Throws unless <paramref name="name"/> is a valid object name.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="parameterName">The caller's parameter name, filled in by the compiler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> breaks a rule; the message says which.</exception>
    public static void Validate(string name, [CallerArgumentExpression(nameof(name))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        var problem = FindNameProblem(name);
        if (problem is not null)
        {
            throw new ArgumentException($"The storage object name '{Printable(name)}' is invalid: {problem}", parameterName);
        }
    }

    /// <summary>
    /// Throws unless <paramref name="prefix"/> is a valid listing prefix: empty, or a valid name with an
    /// optional trailing '/', or a valid name followed by '/' and the start of a segment (<c>data/3</c>).
    /// </summary>
    /// <param name="prefix">The prefix to check.</param>
    /// <param name="parameterName">The caller's parameter name, filled in by the compiler.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> breaks a rule; the message says which.</exception>
    public static void ValidatePrefix(string prefix, [CallerArgumentExpression(nameof(prefix))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(prefix, parameterName);
        var problem = FindPrefixProblem(prefix);
        if (problem is not null)
        {
            throw new ArgumentException($"The storage listing prefix '{Printable(prefix)}' is invalid: {problem}", parameterName);
        }
    }

    private static string? FindNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty. Use a relative name such as 'snapshots/<id>'.";
        }

        if (name[^1] == Separator)
        {
            return "it ends with '/'. Names address objects, not folders; remove the trailing '/'.";
        }

        return FindSegmentsProblem(name, lastSegmentIsPartial: false);
    }

    private static string? FindPrefixProblem(string prefix)
    {
        if (prefix.Length == 0)
        {
            return null;
        }

        // "data/" and "data/3" are both useful prefixes: only the complete segments before the last '/'
        // must be whole valid segments; the text after it may be any start of a segment, including none.
        return FindSegmentsProblem(prefix, lastSegmentIsPartial: true);
    }

    private static string? FindSegmentsProblem(string text, bool lastSegmentIsPartial)
    {
        if (text.Length > MaximumLength)
        {
            return $"it is {text.Length} characters long; the limit is {MaximumLength}.";
        }

        if (text[0] == Separator)
        {
            return "it starts with '/'. Names are relative to the repository; remove the leading '/'.";
        }

        var segmentStart = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != Separator)
            {
                var problem = FindCharacterProblem(text[i], i);
                if (problem is not null)
                {
                    return problem;
                }

                continue;
            }

            var segment = text.AsSpan(segmentStart, i - segmentStart);
            var isLast = i == text.Length;
            if (!(isLast && lastSegmentIsPartial))
            {
                if (segment.Length == 0)
                {
                    return $"it has an empty segment at position {segmentStart} ('//'). Separate segments with a single '/'.";
                }

                if (segment is "." or "..")
                {
                    return $"it has a '{segment}' segment at position {segmentStart}. Relative path segments are not allowed; name the object directly.";
                }
            }

            if (segment.Length > MaximumSegmentLength)
            {
                return $"its segment at position {segmentStart} is {segment.Length} characters long; the limit is {MaximumSegmentLength}.";
            }

            segmentStart = i + 1;
        }

        return null;
    }

    private static string? FindCharacterProblem(char c, int position)
    {
        if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-')
        {
            return null;
        }

        if (c == '\\')
        {
            return $"it contains a backslash at position {position}. Separate segments with '/'.";
        }

        if (char.IsControl(c))
        {
            return $"it contains the control character U+{(int)c:X4} at position {position}. Only A-Z, a-z, 0-9, '.', '_', '-' and '/' are allowed.";
        }

        return $"it contains '{c}' at position {position}. Only A-Z, a-z, 0-9, '.', '_', '-' and '/' are allowed.";
    }

    // Names go into exception messages and logs: show control characters as escapes so a hostile name
    // cannot forge extra log lines or terminal escape sequences.
    private static string Printable(string text)
    {
        const int limit = 200;
        var builder = new System.Text.StringBuilder(Math.Min(text.Length, limit) + 16);
        foreach (var c in text.Length > limit ? text.AsSpan(0, limit) : text.AsSpan())
        {
            if (char.IsControl(c))
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        if (text.Length > limit)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
