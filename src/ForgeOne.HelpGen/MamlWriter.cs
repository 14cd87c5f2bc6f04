using System.Management.Automation;
using System.Xml.Linq;

namespace ForgeOne.HelpGen;

/// <summary>Writes MAML, the XML help format Get-Help reads for binary cmdlets (as PlatyPS would).</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    internal static void Write(IReadOnlyList<CmdletModel> cmdlets, string path)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), cmdlets.Select(CommandElement));
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(path);
    }

    private static XElement CommandElement(CmdletModel cmdlet) => new(Command + "command",
        new XAttribute(XNamespace.Xmlns + "maml", Maml),
        new XAttribute(XNamespace.Xmlns + "command", Command),
        new XAttribute(XNamespace.Xmlns + "dev", Dev),
        new XElement(Command + "details",
            new XElement(Command + "name", cmdlet.Name),
            new XElement(Command + "verb", cmdlet.Verb),
            new XElement(Command + "noun", cmdlet.Noun),
            Description([cmdlet.Synopsis])),
        Description(cmdlet.Description),
        new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set => new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", cmdlet.Name),
            cmdlet.InSet(set).Select(x => Parameter(x.Parameter, x.Binding))))),
        new XElement(Command + "parameters", cmdlet.Parameters.Select(p => Parameter(p, p.Sets.Values.First()))),
        new XElement(Command + "inputTypes", InputTypes(cmdlet).Select(t => new XElement(Command + "inputType",
            TypeElement(t), Description([])))),
        new XElement(Command + "returnValues", cmdlet.OutputTypes.Select(t => new XElement(Command + "returnValue",
            TypeElement(t), Description([])))),
        new XElement(Command + "examples", cmdlet.Examples.Select((example, i) => new XElement(Command + "example",
            new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", example.Remarks.Select(Para))))),
        new XElement(Command + "relatedLinks",
            new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "about_ForgeOne"), new XElement(Maml + "uri"))));

    private static XElement Parameter(ParameterModel parameter, ParameterAttribute binding) => new(Command + "parameter",
        new XAttribute("required", binding.Mandatory ? "true" : "false"),
        new XAttribute("variableLength", parameter.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
        new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
        new XAttribute("pipelineInput", ParameterModel.PipelineInput(binding)),
        new XAttribute("position", binding.Position < 0 ? "named" : binding.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
        new XElement(Maml + "name", parameter.Name),
        Description([parameter.Description]),
        parameter.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.TypeName),
        TypeElement(parameter.TypeName),
        new XElement(Dev + "defaultValue", parameter.IsSwitch ? "False" : "None"));

    private static IEnumerable<string> InputTypes(CmdletModel cmdlet) => cmdlet.Parameters
        .Where(p => p.Sets.Values.Any(b => b.ValueFromPipeline || b.ValueFromPipelineByPropertyName))
        .Select(p => p.TypeName)
        .Distinct();

    private static XElement TypeElement(string typeName) =>
        new(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);
}
