using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

public sealed class KeyFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forgeone-keyfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Generated_key_file_holds_32_random_bytes_and_reads_back()
    {
        var path = Path.Combine(_folder, "repo.key");

        KeyFile.Generate(path, force: false);

        var bytes = KeyFile.Read(path);
        Assert.Equal(32, bytes.Length);
        Assert.Contains(bytes, b => b != 0);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Generated_key_file_is_owner_only_on_unix()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_folder, "repo.key");
        var replaced = Path.Combine(_folder, "replaced.key");
        File.WriteAllBytes(replaced, new byte[32]);
        File.SetUnixFileMode(replaced, (UnixFileMode)0b110_100_100);

        KeyFile.Generate(path, force: false);
        KeyFile.Generate(replaced, force: true);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(replaced));
    }

    [Fact]
    public void Existing_file_is_not_overwritten_without_force()
    {
        var path = Path.Combine(_folder, "repo.key");
        File.WriteAllBytes(path, new byte[32]);

        var ex = Assert.Throws<KeyFileExistsException>(() => KeyFile.Generate(path, force: false));

        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--force", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[32], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Force_replaces_an_existing_file()
    {
        var path = Path.Combine(_folder, "repo.key");
        File.WriteAllBytes(path, new byte[32]);

        KeyFile.Generate(path, force: true);

        Assert.NotEqual(new byte[32], KeyFile.Read(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(4096)]
    public void Key_file_of_the_wrong_size_is_refused(int length)
    {
        var path = Path.Combine(_folder, "bad.key");
        File.WriteAllBytes(path, new byte[length]);

        var ex = Assert.Throws<InvalidKeyFileException>(() => KeyFile.Read(path));

        Assert.Equal(length, ex.Length);
        Assert.Equal(path, ex.Path);
        Assert.Contains("exactly 32 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_key_file_is_an_io_error()
    {
        Assert.Throws<FileNotFoundException>(() => KeyFile.Read(Path.Combine(_folder, "missing.key")));
    }
}
