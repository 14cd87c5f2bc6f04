using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;

namespace ForgeOne.HelpGen;

/// <summary>One cmdlet as help describes it: names from its attributes, words from its XML docs.</summary>
internal sealed record CmdletModel(
    string Verb,
    string Noun,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterModel> Parameters,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<ExampleModel> Examples,
    IReadOnlyList<string> OutputTypes)
{
    private const string AllSets = "__AllParameterSets";

    internal string Name => $"{Verb}-{Noun}";

    internal static IReadOnlyList<CmdletModel> FromAssembly(Assembly assembly, XmlDocs docs) => assembly.GetExportedTypes()
        .Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null)
        .Select(t => FromType(t, docs))
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>What help must have and this cmdlet's docs lack; the build fails on any.</summary>
    internal IEnumerable<string> Problems()
    {
        if (Synopsis.Length == 0)
        {
            yield return $"{Name}: no <summary> (the synopsis) on the cmdlet class.";
        }

        if (Description.Count == 0)
        {
            yield return $"{Name}: no <remarks> (the description) on the cmdlet class.";
        }

        if (Examples.Count == 0)
        {
            yield return $"{Name}: no <example> with <code> on the cmdlet class.";
        }

        foreach (var parameter in Parameters.Where(p => p.Description.Length == 0))
        {
            yield return $"{Name}: parameter -{parameter.Name} has no <summary>.";
        }
    }

    private static CmdletModel FromType(Type type, XmlDocs docs)
    {
        var cmdlet = type.GetCustomAttribute<CmdletAttribute>()!;
        var typeDocs = docs.Member("T:" + type.FullName);
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
            .Select(p => ParameterModel.FromProperty(p, docs))
            .ToList();
        if (cmdlet.SupportsShouldProcess)
        {
            parameters.Add(ParameterModel.Switch("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run.", "wi"));
            parameters.Add(ParameterModel.Switch("Confirm", "Prompts you for confirmation before running the cmdlet.", "cf"));
        }

        var sets = parameters.SelectMany(p => p.Sets.Keys).Where(s => s != AllSets).Distinct().Order(StringComparer.Ordinal).ToList();
        if (sets.Count == 0)
        {
            sets.Add(AllSets);
        }
        else if (cmdlet.DefaultParameterSetName is { } defaultSet && sets.Remove(defaultSet))
        {
            sets.Insert(0, defaultSet);
        }

        return new CmdletModel(
            cmdlet.VerbName,
            cmdlet.NounName,
            XmlDocs.Normalize(XmlDocs.Text(typeDocs?.Element("summary") ?? new XElement("x"))),
            XmlDocs.Paragraphs(typeDocs?.Element("remarks")),
            parameters,
            sets,
            typeDocs?.Elements("example").Select(ExampleModel.FromXml).Where(e => e.Code.Length > 0).ToList() ?? [],
            type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t => t.Name).ToList());
    }

    /// <summary>Parameters of one set, positional first, in the order pwsh shows syntax.</summary>
    internal IEnumerable<(ParameterModel Parameter, ParameterAttribute Binding)> InSet(string set) => Parameters
        .Select(p => (Parameter: p, Binding: p.Sets.GetValueOrDefault(set) ?? p.Sets.GetValueOrDefault(AllSets)))
        .Where(x => x.Binding is not null)
        .Select(x => (x.Parameter, x.Binding!))
        .OrderBy(x => x.Item2.Position < 0 ? int.MaxValue : x.Item2.Position)
        .ThenBy(x => x.Item2.Mandatory ? 0 : 1);
}

/// <summary>One example: the code and what it does.</summary>
internal sealed record ExampleModel(string Code, IReadOnlyList<string> Remarks)
{
    internal static ExampleModel FromXml(XElement example) => new(
        CodeText(example.Element("code")?.Value ?? ""),
        XmlDocs.Paragraphs(new XElement("x", example.Elements("para"))));

    // Keeps the lines of a multi-line example but drops the indentation the doc comment added.
    private static string CodeText(string code)
    {
        var lines = code.Replace("\r", "", StringComparison.Ordinal).Split('\n').SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse().ToList();
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
