using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Storage;

public sealed class StorageNameTests
{
    public static TheoryData<string> ValidNames =>
    [
        "config",
        "data/3f/3f2a91c0",
        "keys/.hidden",
        "a-b_c.D/E9",
        "...",
        new string('a', StorageName.MaximumSegmentLength),
        string.Join('/', Enumerable.Repeat(new string('b', 99), 10)) + "/" + new string('c', 24),
    ];

    public static TheoryData<string, string> InvalidNames => new()
    {
        { "", "empty" },
        { "/snapshots/a", "starts with '/'" },
        { "snapshots/", "ends with '/'" },
        { "snapshots//a", "empty segment at position 10" },
        { "snapshots/../config", "'..' segment at position 10" },
        { "./a", "'.' segment at position 0" },
        { "..", "'..' segment" },
        { "snapshots\\a", "backslash at position 9" },
        { "a\tb", "control character U+0009 at position 1" },
        { "a b", "' ' at position 1" },
        { "\u00e4", "'\u00e4' at position 0" },
        { new string('a', 256), "256 characters long; the limit is 255" },
        { string.Join('/', Enumerable.Repeat(new string('b', 99), 10)) + "/" + new string('c', 25), "1025 characters long; the limit is 1024" },
    };

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_names_are_accepted(string name)
    {
        Assert.True(StorageName.IsValid(name));
        StorageName.Validate(name);
        Assert.True(StorageName.IsValidPrefix(name));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_names_are_rejected_with_the_problem_named(string name, string problem)
    {
        Assert.False(StorageName.IsValid(name));

        var thrown = Assert.Throws<ArgumentException>(() => StorageName.Validate(name));

        Assert.Contains(problem, thrown.Message, StringComparison.Ordinal);
        Assert.Equal("name", thrown.ParamName);
    }

    [Fact]
    public void The_exception_names_the_callers_parameter()
    {
        var snapshotName = "snapshots/";

        var thrown = Assert.Throws<ArgumentException>(() => StorageName.Validate(snapshotName));

        Assert.Equal("snapshotName", thrown.ParamName);
    }

    [Fact]
    public void Control_characters_are_escaped_in_the_message()
    {
        var thrown = Assert.Throws<ArgumentException>(() => StorageName.Validate("a\n\u001b[31mb"));

        Assert.DoesNotContain('\n', thrown.Message);
        Assert.DoesNotContain('\u001b', thrown.Message);
        Assert.Contains("a\\u000A\\u001B[31mb", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Assert.False(StorageName.IsValid(null));
        Assert.False(StorageName.IsValidPrefix(null));
        Assert.Throws<ArgumentNullException>(() => StorageName.Validate(null!));
        Assert.Throws<ArgumentNullException>(() => StorageName.ValidatePrefix(null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("data/")]
    [InlineData("data")]
    [InlineData("data/3")]
    [InlineData("data/3f/")]
    [InlineData("keys/.")]
    [InlineData("keys/..")]
    public void Valid_prefixes_are_accepted(string prefix)
    {
        Assert.True(StorageName.IsValidPrefix(prefix));
        StorageName.ValidatePrefix(prefix);
    }

    [Theory]
    [InlineData("/", "starts with '/'")]
    [InlineData("data//", "empty segment")]
    [InlineData("../", "'..' segment")]
    [InlineData("data/./x", "'.' segment")]
    [InlineData("data\\", "backslash")]
    [InlineData("data /", "' '")]
    public void Invalid_prefixes_are_rejected_with_the_problem_named(string prefix, string problem)
    {
        Assert.False(StorageName.IsValidPrefix(prefix));

        var thrown = Assert.Throws<ArgumentException>(() => StorageName.ValidatePrefix(prefix));

        Assert.Contains(problem, thrown.Message, StringComparison.Ordinal);
    }
}
