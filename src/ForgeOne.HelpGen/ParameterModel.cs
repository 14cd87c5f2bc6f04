using System.Management.Automation;
using System.Reflection;

namespace ForgeOne.HelpGen;

/// <summary>One cmdlet parameter: its binding per parameter set, and its description.</summary>
internal sealed record ParameterModel(
    string Name,
    string TypeName,
    string Description,
    IReadOnlyList<string> Aliases,
    IReadOnlyDictionary<string, ParameterAttribute> Sets,
    bool Globbing)
{
    internal bool IsSwitch => TypeName == nameof(SwitchParameter);

    internal static ParameterModel FromProperty(PropertyInfo property, XmlDocs docs)
    {
        var summary = docs.Member($"P:{property.DeclaringType!.FullName}.{property.Name}")?.Element("summary");
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return new ParameterModel(
            property.Name,
            type.Name,
            summary is null ? "" : XmlDocs.Normalize(XmlDocs.Text(summary)),
            property.GetCustomAttribute<AliasAttribute>()?.AliasNames.ToList() ?? [],
            property.GetCustomAttributes<ParameterAttribute>().ToDictionary(p => p.ParameterSetName, p => p),
            property.Name == "Path");
    }

    internal static ParameterModel Switch(string name, string description, string alias) => new(
        name, nameof(SwitchParameter), description, [alias],
        new Dictionary<string, ParameterAttribute> { ["__AllParameterSets"] = new() }, false);

    internal static string PipelineInput(ParameterAttribute binding) => (binding.ValueFromPipeline, binding.ValueFromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };
}
