using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Storage;

public sealed class NoReplaceFileMoveTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(NoReplaceFileMove.Method.Automatic)]
    [InlineData(NoReplaceFileMove.Method.HardLink)]
    internal void Move_to_a_free_name_renames_the_file(NoReplaceFileMove.Method method)
    {
        var source = WriteFile("source", "new");
        var destination = Path.Join(_folder.Path, "destination");

        Assert.True(NoReplaceFileMove.TryMove(source, destination, method));

        Assert.False(File.Exists(source));
        Assert.Equal("new", File.ReadAllText(destination));
    }

    [Theory]
    [InlineData(NoReplaceFileMove.Method.Automatic)]
    [InlineData(NoReplaceFileMove.Method.HardLink)]
    internal void Move_to_a_taken_name_changes_nothing(NoReplaceFileMove.Method method)
    {
        var source = WriteFile("source", "new");
        var destination = WriteFile("destination", "original");

        Assert.False(NoReplaceFileMove.TryMove(source, destination, method));

        Assert.Equal("new", File.ReadAllText(source));
        Assert.Equal("original", File.ReadAllText(destination));
    }

    [Theory]
    [InlineData(NoReplaceFileMove.Method.Automatic)]
    [InlineData(NoReplaceFileMove.Method.HardLink)]
    internal void Move_of_a_missing_file_throws_io_exception_naming_the_paths(NoReplaceFileMove.Method method)
    {
        var source = Path.Join(_folder.Path, "missing");

        var thrown = Assert.ThrowsAny<IOException>(
            () => NoReplaceFileMove.TryMove(source, Path.Join(_folder.Path, "destination"), method));

        Assert.Contains(source, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Linux_moves_use_renameat2_on_this_machine()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var source = WriteFile("source", "new");
        Assert.True(NoReplaceFileMove.TryMove(source, Path.Join(_folder.Path, "destination"),
            NoReplaceFileMove.Method.Automatic));

        Assert.True(NoReplaceFileMove.RenameNoReplaceAvailable);
    }

    [Fact]
    public void Flushing_a_directory_succeeds() => NoReplaceFileMove.FlushDirectory(_folder.Path);

    [Fact]
    public void Flushing_a_missing_directory_throws_io_exception()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.ThrowsAny<IOException>(() => NoReplaceFileMove.FlushDirectory(Path.Join(_folder.Path, "missing")));
    }

    private string WriteFile(string name, string text)
    {
        var path = Path.Join(_folder.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
