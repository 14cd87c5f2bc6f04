using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Packaging;

public sealed class HelpTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private static readonly HashSet<string> CommonParameters = new(PSCmdlet.CommonParameters, StringComparer.OrdinalIgnoreCase);

    public static TheoryData<string> Cmdlets()
    {
        var manifest = File.ReadAllText(Path.Combine(ModuleLayout.RepositoryRoot, "ForgeOne.psd1"));
        var names = System.Text.RegularExpressions.Regex.Matches(manifest, @"'([A-Z][a-z]+-Forge[A-Za-z]+)'").Select(m => m.Groups[1].Value);
        return new TheoryData<string>(names);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_has_synopsis_description_and_an_example(string cmdlet)
    {
        var help = shell.Run($"Get-Help {cmdlet} -Full").ShouldSucceed().Output.Single();

        var synopsis = help.Properties["Synopsis"].Value?.ToString()?.Trim();
        Assert.False(string.IsNullOrEmpty(synopsis));
        Assert.NotEqual(cmdlet, synopsis); // Get-Help falls back to the syntax when no help file was found.
        Assert.NotEmpty(Texts(help.Properties["description"].Value));
        var examples = shell.Run("(Get-Help $name -Examples).examples.example", new Dictionary<string, object> { ["name"] = cmdlet })
            .ShouldSucceed().Output;
        Assert.NotEmpty(examples);
        Assert.All(examples, e => Assert.Contains(cmdlet, e.Properties["code"].Value?.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_describes_every_parameter(string cmdlet)
    {
        var parameters = shell.Run("(Get-Command $name).Parameters.Keys", new Dictionary<string, object> { ["name"] = cmdlet })
            .ShouldSucceed().BaseObjects.Cast<string>().Where(p => !CommonParameters.Contains(p)).ToList();
        var described = shell.Run("(Get-Help $name -Full).parameters.parameter", new Dictionary<string, object> { ["name"] = cmdlet })
            .ShouldSucceed().Output
            .ToDictionary(p => p.Properties["name"].Value.ToString()!, p => string.Join(" ", Texts(p.Properties["description"]?.Value)));

        Assert.NotEmpty(parameters);
        Assert.All(parameters, p =>
        {
            Assert.True(described.TryGetValue(p, out var text), $"{cmdlet} -{p} is missing from help");
            Assert.False(string.IsNullOrWhiteSpace(text), $"{cmdlet} -{p} has no description");
        });
    }

    [Fact]
    public void About_topic_is_found()
    {
        var help = shell.Run("Get-Help about_ForgeOne").ShouldSucceed();
        Assert.Contains("ForgeOne", string.Join("\n", help.BaseObjects), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Texts(object? value) => value switch
    {
        null => [],
        PSObject { BaseObject: object[] items } => items.SelectMany(Texts),
        object[] items => items.SelectMany(Texts),
        PSObject ps when ps.Properties["Text"] is { } text => [text.Value?.ToString() ?? ""],
        _ => [value.ToString() ?? ""],
    };
}
