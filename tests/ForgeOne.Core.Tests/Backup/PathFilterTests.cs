using ForgeOne.Core.Backup;

namespace ForgeOne.Core.Tests.Backup;

public sealed class PathFilterTests
{
    [Theory]
    [InlineData("*.tmp", "a.tmp", true)]
    [InlineData("*.tmp", "deep/er/a.tmp", true)]
    [InlineData("*.tmp", "a.tmpx", false)]
    [InlineData("node_modules", "web/node_modules", true)]
    [InlineData("logs/*.gz", "logs/x.gz", true)]
    [InlineData("logs/*.gz", "other/logs/x.gz", false)]
    [InlineData("**/cache/**", "a/cache/b/c", true)]
    [InlineData("Thumbs.db", "thumbs.db", false)]
    [InlineData("file*.txt", "file1.txt", true)]
    public void Exclude_patterns_match_as_documented(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new PathFilter(excludes: [pattern]).IsExcluded(path));

    [Fact]
    public void Including_a_folder_includes_everything_below_it()
    {
        var filter = new PathFilter(includes: ["docs"]);

        Assert.True(filter.IsIncluded("docs"));
        Assert.True(filter.IsIncluded("docs/a/b.txt"));
        Assert.False(filter.IsIncluded("src/docs.txt"));
    }

    [Fact]
    public void Exclude_wins_over_include_and_covers_descendants()
    {
        var filter = new PathFilter(excludes: ["secret"], includes: ["data/**"]);

        Assert.True(filter.IsIncluded("data/a.txt"));
        Assert.False(filter.IsIncluded("data/secret/key.pem"));
    }

    [Fact]
    public void No_patterns_keep_everything()
    {
        Assert.True(PathFilter.All.IsIncluded("any/thing"));
        Assert.False(PathFilter.All.IsExcluded("any/thing"));
        Assert.True(PathFilter.All.IncludesEverything);
    }

    [Fact]
    public void Empty_pattern_is_refused_with_a_fix()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PathFilter(excludes: [" "]));
        Assert.Contains("*.tmp", ex.Message, StringComparison.Ordinal);
    }
}
