namespace ForgeOne.Cli.Tests;

public sealed class KeyCommandTests
{
    [Fact]
    public void Key_new_writes_a_private_32_byte_file()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cli-key-").FullName, "k");

        var forge = Forge.Run("key", "new", path);

        Assert.Equal(0, forge.ExitCode);
        Assert.Equal(32, File.ReadAllBytes(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Key_new_refuses_to_overwrite_without_force()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cli-key-").FullName, "k");
        File.WriteAllBytes(path, [1]);

        var refused = Forge.Run("key", "new", path);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal([1], File.ReadAllBytes(path));

        var forced = Forge.Run("key", "new", "--force", path);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(32, File.ReadAllBytes(path).Length);
    }
}
