using System.Management.Automation;
using System.Reflection;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

public sealed class ModuleManifestTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Test_ModuleManifest_accepts_the_packaged_manifest()
    {
        var result = shell.Run($"Test-ModuleManifest -Path '{ModuleLayout.ManifestPath}'").ShouldSucceed();
        Assert.Equal("ForgeOne", result.Property("Name"));
        Assert.Equal(ModuleLayout.Version, result.Property("Version")!.ToString());
    }

    [Fact]
    public void Manifest_version_matches_the_assembly_version_the_build_stamps()
    {
        var props = File.ReadAllText(Path.Combine(ModuleLayout.RepositoryRoot, "Directory.Build.props"));
        Assert.Contains($"<Version>{ModuleLayout.Version}</Version>", props, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines()
    {
        var exported = shell.Run("(Get-Module ForgeOne).ExportedCmdlets.Keys").ShouldSucceed()
            .BaseObjects.Cast<string>().Order(StringComparer.Ordinal).ToList();
        var defined = shell.Run("Get-Command -Module ForgeOne -CommandType Cmdlet | ForEach-Object Name").ShouldSucceed()
            .BaseObjects.Cast<string>().Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(exported);
        Assert.Equal(defined, exported);
    }

    [Fact]
    public void Every_exported_cmdlet_uses_an_approved_verb_and_the_Forge_prefix()
    {
        var approved = typeof(VerbsCommon).Assembly.GetTypes()
            .Where(t => t.Name.StartsWith("Verbs", StringComparison.Ordinal) && t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetValue(null)!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var commands = shell.Run("Get-Command -Module ForgeOne").ShouldSucceed().BaseObjects.Cast<CmdletInfo>().ToList();

        Assert.NotEmpty(commands);
        Assert.All(commands, c =>
        {
            Assert.Contains(c.Verb, approved);
            Assert.StartsWith("Forge", c.Noun, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_exported_cmdlet_declares_its_output_type()
    {
        var commands = shell.Run("Get-Command -Module ForgeOne").ShouldSucceed().BaseObjects.Cast<CmdletInfo>().ToList();
        Assert.All(commands, c => Assert.True(c.OutputType.Count > 0, $"{c.Name} has no [OutputType]"));
    }

    [Fact]
    public void Packaged_folder_holds_only_the_module_assembly_beside_the_manifest()
    {
        var folder = Path.GetDirectoryName(ModuleLayout.ManifestPath)!;
        var topAssemblies = Directory.GetFiles(folder, "*.dll").Select(Path.GetFileName).ToList();
        Assert.Equal(["ForgeOne.dll"], topAssemblies);
        Assert.True(File.Exists(Path.Combine(folder, "dependencies", "ForgeOne.Core.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "en-US", "ForgeOne.dll-Help.xml")));
        Assert.True(File.Exists(Path.Combine(folder, "en-US", "about_ForgeOne.help.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "ForgeOne.format.ps1xml")));
        Assert.Empty(Directory.GetFiles(folder, "System.Management.Automation.dll", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(folder, "Microsoft.PowerShell.*.dll", SearchOption.AllDirectories));
    }
}
