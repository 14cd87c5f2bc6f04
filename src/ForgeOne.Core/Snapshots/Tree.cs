using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// The entries of one directory in a snapshot, sorted by name, stored as a tree blob in canonical JSON
/// (docs/design.md, "Trees and snapshots").
/// </summary>
/// <remarks>
/// Canonical means one directory has exactly one byte form: nodes sorted by the UTF-8 bytes of their names,
/// fields in a fixed order, no whitespace, nulls omitted, times with all seven fraction digits. Equal directories
/// therefore get equal blob ids, so a directory that did not change since the last backup is stored once and costs
/// nothing, and a comparison can skip it by id.
/// </remarks>
public sealed class Tree
{
    /// <summary>The tree format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 8 };

    private readonly TreeNode[] _nodes;

    /// <summary>Creates a tree from a directory's entries, in any order.</summary>
    /// <param name="nodes">The entries; they are sorted by the UTF-8 bytes of their names.</param>
    /// <exception cref="ArgumentNullException"><paramref name="nodes"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">
    /// A name is invalid (see <see cref="TreeNode.Name"/>) or appears twice, or a node's fields do not fit its type.
    /// </exception>
    public Tree(IEnumerable<TreeNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _nodes = nodes.ToArray();
        foreach (var node in _nodes)
        {
            if (node is null)
            {
                throw new ArgumentNullException(nameof(nodes), "A tree node is null.");
            }

            if (node.FindProblem() is { } problem)
            {
                throw new ArgumentException($"Cannot build the tree: {problem}.", nameof(nodes));
            }
        }

        Array.Sort(_nodes, static (a, b) => Utf8Ordinal.Instance.Compare(a.Name, b.Name));
        for (var i = 1; i < _nodes.Length; i++)
        {
            if (string.Equals(_nodes[i - 1].Name, _nodes[i].Name, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Cannot build the tree: the name \"{CanonicalJson.Truncate(_nodes[i].Name)}\" appears twice.", nameof(nodes));
            }
        }

        Nodes = Array.AsReadOnly(_nodes);
    }

    // Parsed nodes are already validated and in order.
    private Tree(TreeNode[] sortedNodes)
    {
        _nodes = sortedNodes;
        Nodes = Array.AsReadOnly(_nodes);
    }

    /// <summary>A directory with no entries.</summary>
    public static Tree Empty { get; } = new(Array.Empty<TreeNode>());

    /// <summary>The entries, sorted by the UTF-8 bytes of their names (<c>"B"</c> &lt; <c>"a"</c> &lt; <c>"é"</c>).</summary>
    public IReadOnlyList<TreeNode> Nodes { get; }

    /// <summary>Finds an entry by its exact name.</summary>
    /// <param name="name">The name, compared ordinally (case-sensitive).</param>
    /// <returns>The entry, or null when there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public TreeNode? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int low = 0, high = _nodes.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = Utf8Ordinal.Instance.Compare(_nodes[middle].Name, name);
            if (order == 0)
            {
                return _nodes[middle];
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return null;
    }

    /// <summary>Serializes the tree in its canonical JSON form, the plaintext of its tree blob.</summary>
    /// <returns>UTF-8 JSON; equal trees always give equal bytes.</returns>
    public byte[] Serialize()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (_nodes.Length * 256));
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteStartArray("nodes");
            foreach (var node in _nodes)
            {
                WriteNode(writer, node);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a tree blob's plaintext, checking every field.</summary>
    /// <param name="json">The UTF-8 JSON written by <see cref="Serialize"/>.</param>
    /// <param name="treeId">The blob's id, for messages; null when unknown.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="UnsupportedFormatException">The tree has another version: a newer ForgeOne wrote it.</exception>
    /// <exception cref="MalformedObjectException">
    /// Not JSON, or a field missing, duplicated, of the wrong type or out of range, an invalid or repeated name,
    /// nodes out of order, or fields that do not fit a node's type.
    /// </exception>
    public static Tree Parse(ReadOnlySpan<byte> json, string? treeId = null)
    {
        JsonDocument document;
        try
        {
            // JsonDocument needs memory it can keep; copying is cheap next to parsing.
            document = JsonDocument.Parse(json.ToArray(), ReaderOptions);
        }
        catch (JsonException ex)
        {
            throw Malformed(treeId, "it is not valid JSON", ex);
        }

        using (document)
        {
            var top = new JsonFields(document.RootElement, "", problem => Malformed(treeId, problem));

            // Version first: another version may have other fields entirely.
            var version = top.RequireInt32("version");
            if (version != FormatVersion)
            {
                throw new UnsupportedFormatException(
                    ObjectKind.Tree, treeId, "tree version", version.ToString(CultureInfo.InvariantCulture),
                    FormatVersion.ToString(CultureInfo.InvariantCulture));
            }

            var array = top.Require("nodes");
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(treeId, "field \"nodes\" is not an array");
            }

            var nodes = new TreeNode[array.GetArrayLength()];
            var i = 0;
            foreach (var element in array.EnumerateArray())
            {
                var node = ReadNode(element, i, treeId);
                if (node.FindProblem() is { } problem)
                {
                    throw Malformed(treeId, problem);
                }

                // Out of order means the writer was not canonical; refusing it keeps one directory, one id.
                if (i > 0 && Utf8Ordinal.Instance.Compare(nodes[i - 1].Name, node.Name) >= 0)
                {
                    throw Malformed(
                        treeId, $"node \"{CanonicalJson.Truncate(node.Name)}\" is out of order or repeated; names must be unique and sorted by UTF-8 bytes");
                }

                nodes[i++] = node;
            }

            return new Tree(nodes);
        }
    }

    private static void WriteNode(Utf8JsonWriter writer, TreeNode node)
    {
        // The order here is the canonical field order (docs/design.md); never reorder, only append.
        writer.WriteStartObject();
        CanonicalJson.WriteString(writer, "name", node.Name);
        writer.WriteString("type", TypeName(node.Type));
        writer.WriteNumber("size", node.Size);
        writer.WriteNumber("mode", node.Mode);
        if (node.Uid is { } uid)
        {
            writer.WriteNumber("uid", uid);
        }

        if (node.Gid is { } gid)
        {
            writer.WriteNumber("gid", gid);
        }

        if (node.UserName is { } userName)
        {
            CanonicalJson.WriteString(writer, "userName", userName);
        }

        if (node.GroupName is { } groupName)
        {
            CanonicalJson.WriteString(writer, "groupName", groupName);
        }

        CanonicalJson.WriteTime(writer, "modifiedTime", node.ModifiedTime);
        if (node.ChangeTime is { } changeTime)
        {
            CanonicalJson.WriteTime(writer, "changeTime", changeTime);
        }

        if (node.AccessTime is { } accessTime)
        {
            CanonicalJson.WriteTime(writer, "accessTime", accessTime);
        }

        writer.WriteNumber("inode", node.Inode);
        writer.WriteNumber("deviceId", node.DeviceId);
        if (node.Content is { } content)
        {
            writer.WriteStartArray("content");
            foreach (var id in content)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        if (node.ContentHash is { } contentHash)
        {
            writer.WriteString("contentHash", contentHash);
        }

        if (node.Subtree is { } subtree)
        {
            writer.WriteString("subtree", subtree);
        }

        if (node.LinkTarget is { } linkTarget)
        {
            CanonicalJson.WriteString(writer, "linkTarget", linkTarget);
        }

        writer.WriteEndObject();
    }

    private static TreeNode ReadNode(JsonElement element, int index, string? treeId)
    {
        var fields = new JsonFields(element, $"node {index}", problem => Malformed(treeId, problem));
        var typeName = fields.RequireString("type");
        var type = TypeFromName(typeName) ?? throw new UnsupportedFormatException(
            ObjectKind.Tree, treeId, "node type", $"\"{CanonicalJson.Truncate(typeName)}\"", "\"file\", \"dir\" and \"symlink\"");
        return new TreeNode
        {
            Name = fields.RequireString("name"),
            Type = type,
            Size = fields.RequireNonNegative("size"),
            Mode = fields.RequireInt32("mode"),
            Uid = fields.OptionalNonNegative("uid"),
            Gid = fields.OptionalNonNegative("gid"),
            UserName = fields.OptionalString("userName"),
            GroupName = fields.OptionalString("groupName"),
            ModifiedTime = fields.RequireTime("modifiedTime"),
            ChangeTime = fields.OptionalTime("changeTime"),
            AccessTime = fields.OptionalTime("accessTime"),
            Inode = fields.RequireUInt64("inode"),
            DeviceId = fields.RequireUInt64("deviceId"),
            Content = fields.OptionalStringArray("content"),
            ContentHash = fields.OptionalString("contentHash"),
            Subtree = fields.OptionalString("subtree"),
            LinkTarget = fields.OptionalString("linkTarget"),
        };
    }

    private static string TypeName(NodeType type) => type switch
    {
        NodeType.File => "file",
        NodeType.Directory => "dir",
        NodeType.Symlink => "symlink",
        _ => throw new InvalidOperationException($"Node type {type} has no name."),
    };

    private static NodeType? TypeFromName(string name) => name switch
    {
        "file" => NodeType.File,
        "dir" => NodeType.Directory,
        "symlink" => NodeType.Symlink,
        _ => null,
    };

    private static MalformedObjectException Malformed(string? treeId, string problem, Exception? innerException = null) =>
        new(ObjectKind.Tree, treeId, problem, innerException);
}
