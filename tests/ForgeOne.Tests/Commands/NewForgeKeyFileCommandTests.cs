using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class NewForgeKeyFileCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private static string NewPath() => Path.Combine(Directory.CreateTempSubdirectory("key-").FullName, "forge.key");

    private static Dictionary<string, object> Vars(string path) => new() { ["path"] = path };

    [Fact]
    public void Creates_32_random_bytes_readable_only_by_the_owner()
    {
        var path = NewPath();

        var result = shell.Run("New-ForgeKeyFile -Path $path", Vars(path)).ShouldSucceed();

        Assert.Equal(path, ((FileInfo)Assert.Single(result.BaseObjects)).FullName);
        Assert.Equal(32, File.ReadAllBytes(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Two_key_files_differ()
    {
        var (a, b) = (NewPath(), NewPath());
        shell.Run("New-ForgeKeyFile $a; New-ForgeKeyFile $b", new Dictionary<string, object> { ["a"] = a, ["b"] = b }).ShouldSucceed();
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Existing_file_is_kept_without_Force()
    {
        var path = NewPath();
        File.WriteAllBytes(path, [9, 9, 9]);

        var result = shell.Run("New-ForgeKeyFile -Path $path", Vars(path));

        Assert.Empty(result.Output);
        Assert.Equal(["KeyFileExists,ForgeOne.Commands.NewForgeKeyFileCommand"], result.ErrorIds);
        Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, result.Errors[0].CategoryInfo.Category);
        Assert.Equal([9, 9, 9], File.ReadAllBytes(path));
    }

    [Fact]
    public void Force_replaces_an_existing_file()
    {
        var path = NewPath();
        File.WriteAllBytes(path, [9, 9, 9]);

        shell.Run("New-ForgeKeyFile -Path $path -Force", Vars(path)).ShouldSucceed();

        Assert.Equal(32, File.ReadAllBytes(path).Length);
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        var path = NewPath();

        var result = shell.Run("New-ForgeKeyFile -Path $path -WhatIf", Vars(path)).ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Confirm_declined_writes_nothing()
    {
        var path = NewPath();

        // With no host UI to answer, -Confirm cannot be granted; the command must not write.
        var result = shell.Run("New-ForgeKeyFile -Path $path -Confirm", Vars(path));

        Assert.Empty(result.Output);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Path_binds_by_property_name()
    {
        var path = NewPath();

        shell.Run("[pscustomobject]@{ Path = $path } | New-ForgeKeyFile", Vars(path)).ShouldSucceed();

        Assert.True(File.Exists(path));
    }
}
