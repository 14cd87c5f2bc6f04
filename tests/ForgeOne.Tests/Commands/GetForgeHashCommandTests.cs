using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class GetForgeHashCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private static string NewFolder(params (string Name, int Size)[] files)
    {
        var folder = Directory.CreateTempSubdirectory("hash-").FullName;
        var random = new Random(files.Length);
        foreach (var (name, size) in files)
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        return folder;
    }

    private static Dictionary<string, object> Vars(params (string, object)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);

    [Fact]
    public void Hash_of_a_file_equals_b3sum_and_looks_like_Get_FileHash_output()
    {
        var folder = NewFolder(("a.bin", 5000));
        var file = Path.Combine(folder, "a.bin");

        var result = shell.Run("Get-ForgeHash -Path $file", Vars(("file", file))).ShouldSucceed();

        Assert.Equal("BLAKE3", result.Property("Algorithm"));
        Assert.Equal(B3sum.HashHex(file), result.Property("Hash"));
        Assert.Equal(file, result.Property("Path"));
        Assert.Equal("ForgeOne.Core.Hashing.FileHash", result.Output[0].TypeNames[0]);
    }

    [Fact]
    public void Wildcards_expand_through_the_provider()
    {
        var folder = NewFolder(("one.log", 10), ("two.log", 2000), ("skip.txt", 3));

        var result = shell.Run("Get-ForgeHash -Path ([IO.Path]::Combine($folder, '*.log'))", Vars(("folder", folder))).ShouldSucceed();

        var paths = result.Output.Select(o => Path.GetFileName((string)o.Properties["Path"].Value)).Order().ToList();
        Assert.Equal(["one.log", "two.log"], paths);
    }

    [Fact]
    public void LiteralPath_takes_wildcard_characters_as_written()
    {
        var folder = NewFolder(("report[1].bin", 100));
        var file = Path.Combine(folder, "report[1].bin");

        var result = shell.Run("Get-ForgeHash -LiteralPath $file", Vars(("file", file))).ShouldSucceed();

        Assert.Equal(B3sum.HashHex(file), result.Property("Hash"));
    }

    [Fact]
    public void Files_from_the_provider_bind_by_property_name()
    {
        var folder = NewFolder(("x.bin", 1), ("y.bin", 1025), ("z[0].bin", 4096));

        // Get-ChildItem's objects, as the provider emits them (PSPath attached); Get-ChildItem itself is not in the hosted engine.
        var result = shell.Run("$ExecutionContext.InvokeProvider.ChildItem.Get($folder, $false) | Get-ForgeHash", Vars(("folder", folder))).ShouldSucceed();

        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal(B3sum.HashHex((string)o.Properties["Path"].Value), o.Properties["Hash"].Value));
    }

    [Fact]
    public void Strings_bind_by_value_from_the_pipeline()
    {
        var folder = NewFolder(("p.bin", 77), ("q.bin", 78));

        var result = shell.Run("([IO.Path]::Combine($folder, 'p.bin')), ([IO.Path]::Combine($folder, 'q.bin')) | Get-ForgeHash", Vars(("folder", folder))).ShouldSucceed();

        Assert.Equal(2, result.Output.Count);
    }

    [Fact]
    public void Key_and_Length_give_the_keyed_extended_hash()
    {
        var folder = NewFolder(("k.bin", 3000));
        var file = Path.Combine(folder, "k.bin");
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var keyFile = Path.Combine(folder, "key");
        File.WriteAllBytes(keyFile, key);

        var result = shell.Run("Get-ForgeHash -LiteralPath $file -Key $key -Length 100", Vars(("file", file), ("key", key))).ShouldSucceed();

        Assert.Equal("BLAKE3-KEYED", result.Property("Algorithm"));
        var expected = B3sum.HashHex(file, 100, key);
        Assert.Equal(expected, result.Property("Hash"));
    }

    [Fact]
    public void Missing_file_is_a_non_terminating_error_and_the_rest_are_hashed()
    {
        var folder = NewFolder(("ok.bin", 10));

        var result = shell.Run("Get-ForgeHash -Path ([IO.Path]::Combine($folder, 'nope.bin')), ([IO.Path]::Combine($folder, 'ok.bin'))", Vars(("folder", folder)));

        Assert.Single(result.Output);
        Assert.Equal(["FileNotFound,ForgeOne.Commands.GetForgeHashCommand"], result.ErrorIds);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void Missing_file_is_not_caught_as_terminating_unless_ErrorAction_Stop()
    {
        var missing = Path.Combine(shell.TempDirectory, "missing.bin");

        var soft = shell.Run("try { Get-ForgeHash -LiteralPath $f; 'continued' } catch { 'caught' }", Vars(("f", missing)));
        var hard = shell.Run("try { Get-ForgeHash -LiteralPath $f -ErrorAction Stop; 'continued' } catch { $_.FullyQualifiedErrorId }", Vars(("f", missing)));

        Assert.Equal("continued", soft.BaseObjects.Last());
        Assert.Equal("FileNotFound,ForgeOne.Commands.GetForgeHashCommand", hard.BaseObjects.Single());
    }

    [Fact]
    public void Directory_is_reported_with_its_own_error_id()
    {
        var folder = NewFolder();

        var result = shell.Run("Get-ForgeHash -LiteralPath $folder", Vars(("folder", folder)));

        Assert.Empty(result.Output);
        Assert.Equal(["PathIsDirectory,ForgeOne.Commands.GetForgeHashCommand"], result.ErrorIds);
    }

    [Fact]
    public void Key_of_the_wrong_size_fails_parameter_validation()
    {
        var folder = NewFolder(("v.bin", 10));

        var result = shell.Run("Get-ForgeHash -Path ([IO.Path]::Combine($folder, 'v.bin')) -Key ([byte[]]::new(16))", Vars(("folder", folder)));

        Assert.Empty(result.Output);
        Assert.StartsWith("ParameterArgumentValidationError", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_is_reported_per_file()
    {
        var folder = NewFolder(("pr.bin", 10));

        var result = shell.Run("Get-ForgeHash -Path ([IO.Path]::Combine($folder, 'pr.bin'))", Vars(("folder", folder))).ShouldSucceed();

        Assert.Contains(result.Progress, p => p.Activity == "Hashing files" && p.StatusDescription.EndsWith("pr.bin", StringComparison.Ordinal));
    }
}
