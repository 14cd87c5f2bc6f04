using System.Globalization;

namespace ForgeOne.Core.Snapshots;

/// <summary>The format and rules of one DNA listing line (docs/design.md, "DNA hash").</summary>
internal static class DnaLine
{
    /// <summary>What stands in for a directory's hash: 64 zeros.</summary>
    public static readonly string ZeroHash = new('0', 64);

    /// <summary>
    /// Checks an entry, throwing <see cref="UnrepresentablePathException"/> for a line feed and
    /// <see cref="ArgumentException"/> for anything else that is wrong.
    /// </summary>
    public static void Validate(NodeType type, string relativePath, long size, string hashHex)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        ArgumentNullException.ThrowIfNull(hashHex);
        if (relativePath.Contains('\n', StringComparison.Ordinal))
        {
            throw new UnrepresentablePathException(relativePath);
        }

        if (relativePath.Length == 0 || relativePath.Split('/').Any(segment => TreeNode.NameProblem(segment) is not null))
        {
            throw new ArgumentException(
                $"\"{CanonicalJson.Truncate(relativePath)}\" is not a relative path: '/'-separated names, none empty, " +
                "\".\" or \"..\", without NUL, no leading or trailing '/'.", nameof(relativePath));
        }

        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a node type.");
        }

        if (size < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "A size is not negative.");
        }

        if (!CanonicalJson.IsHexId(hashHex))
        {
            throw new ArgumentException("A hash is 64 lower-case hex digits.", nameof(hashHex));
        }

        if (type == NodeType.Directory && (size != 0 || hashHex != ZeroHash))
        {
            throw new ArgumentException("A directory's line has size 0 and a hash of 64 zeros.", nameof(hashHex));
        }
    }

    /// <summary>The line without its terminating line feed.</summary>
    public static string Format(NodeType type, string relativePath, long size, string hashHex)
    {
        var letter = type switch
        {
            NodeType.File => 'f',
            NodeType.Directory => 'd',
            _ => 'l',
        };
        return string.Create(CultureInfo.InvariantCulture, $"{letter} {size} {hashHex} {relativePath}");
    }
}
