using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ForgeOne.HelpGen;

/// <summary>The compiler's XML documentation file, read as help text.</summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    internal static XmlDocs Load(string path) => new(XDocument.Load(path).Descendants("member")
        .ToDictionary(m => (string)m.Attribute("name")!, m => m));

    internal XElement? Member(string id) => _members.GetValueOrDefault(id);

    /// <summary>Paragraphs of an element: each &lt;para&gt; is one, and so is loose text between them.</summary>
    internal static IReadOnlyList<string> Paragraphs(XElement? element)
    {
        if (element is null)
        {
            return [];
        }

        List<string> paragraphs = [];
        var loose = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XElement { Name.LocalName: "para" } para)
            {
                Flush(loose, paragraphs);
                Add(paragraphs, Text(para));
            }
            else
            {
                loose.Append(Text(node));
            }
        }

        Flush(loose, paragraphs);
        return paragraphs;
    }

    /// <summary>Plain text of a node: inline code kept, cref links shortened to their member name.</summary>
    internal static string Text(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see =>
            (string?)see.Attribute("langword") ?? ShortName((string?)see.Attribute("cref") ?? see.Value),
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name") ?? "",
        XElement element => string.Concat(element.Nodes().Select(Text)),
        _ => "",
    };

    internal static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    private static string ShortName(string cref) => cref[(cref.LastIndexOfAny(['.', ':']) + 1)..];

    private static void Flush(StringBuilder loose, List<string> paragraphs)
    {
        Add(paragraphs, loose.ToString());
        loose.Clear();
    }

    private static void Add(List<string> paragraphs, string text)
    {
        var normalized = Normalize(text);
        if (normalized.Length > 0)
        {
            paragraphs.Add(normalized);
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
