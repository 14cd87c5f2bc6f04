using Microsoft.Extensions.FileSystemGlobbing;

namespace ForgeOne.Core.Backup;

/// <summary>
/// Include and exclude globs over '/'-separated paths relative to a backup root or a snapshot, matched with
/// Microsoft.Extensions.FileSystemGlobbing: <c>*</c> within one name and <c>**</c> across folders (the library has no <c>?</c> or character classes).
/// </summary>
/// <remarks>
/// A pattern without a '/' matches a name at any depth (<c>*.tmp</c>, <c>node_modules</c>), as restic and .gitignore
/// users expect; a pattern with a '/' is anchored at the root (<c>logs/*.gz</c>). Matching is case-sensitive on
/// every platform, so a backup selects the same files wherever it runs.
/// </remarks>
public sealed class PathFilter
{
    private readonly Matcher? _excludes;
    private readonly Matcher? _includes;

    /// <summary>Creates a filter; no includes means everything not excluded is included.</summary>
    /// <exception cref="ArgumentException">A pattern is empty.</exception>
    public PathFilter(IEnumerable<string>? excludes = null, IEnumerable<string>? includes = null)
    {
        _excludes = Build(excludes);
        _includes = Build(includes);
    }

    /// <summary>A filter that keeps everything.</summary>
    public static PathFilter All { get; } = new();

    /// <summary>True when no include patterns were given.</summary>
    public bool IncludesEverything => _includes is null;

    /// <summary>
    /// True when <paramref name="relativePath"/> itself matches an exclude pattern. A walk from the top stops at an
    /// excluded folder, so folders above need no second look.
    /// </summary>
    public bool IsExcluded(string relativePath) => _excludes is not null && _excludes.Match(relativePath).HasMatches;

    /// <summary>
    /// True when the entry is selected: neither it nor a folder above it is excluded and, when includes are given,
    /// it or a folder above it matches one (so including a folder includes everything in it).
    /// </summary>
    public bool IsIncluded(string relativePath) =>
        (_excludes is null || !MatchesSelfOrAncestor(_excludes, relativePath))
        && (_includes is null || MatchesSelfOrAncestor(_includes, relativePath));

    private static Matcher? Build(IEnumerable<string>? patterns)
    {
        var list = patterns?.ToList();
        if (list is null || list.Count == 0)
        {
            return null;
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var pattern in list)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                throw new ArgumentException("An include or exclude pattern is empty; remove it or give a glob such as '*.tmp'.", nameof(patterns));
            }

            var normalized = pattern.Replace('\\', '/').TrimStart('/').TrimEnd('/');
            matcher.AddInclude(normalized.Contains('/', StringComparison.Ordinal) ? normalized : "**/" + normalized);
        }

        return matcher;
    }

    private static bool MatchesSelfOrAncestor(Matcher matcher, string relativePath)
    {
        for (var path = relativePath; path.Length > 0; path = Parent(path))
        {
            if (matcher.Match(path).HasMatches)
            {
                return true;
            }
        }

        return false;
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
