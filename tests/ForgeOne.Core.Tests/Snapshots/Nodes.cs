using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

/// <summary>Short ways to make valid nodes for tests.</summary>
internal static class Nodes
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static string Hex(string text) => Convert.ToHexStringLower(Blake3.Hash(Encoding.UTF8.GetBytes(text)));

    public static TreeNode File(string name, string content = "", int mode = 420) => new()
    {
        Name = name,
        Type = NodeType.File,
        Size = Encoding.UTF8.GetByteCount(content),
        Mode = mode,
        ModifiedTime = Noon,
        Content = content.Length == 0 ? [] : [Hex("chunk:" + content)],
        ContentHash = Hex(content),
    };

    public static TreeNode Directory(string name, string subtree, int mode = 493) => new()
    {
        Name = name,
        Type = NodeType.Directory,
        Mode = mode,
        ModifiedTime = Noon,
        Subtree = subtree,
    };

    public static TreeNode Symlink(string name, string target) => new()
    {
        Name = name,
        Type = NodeType.Symlink,
        Size = Encoding.UTF8.GetByteCount(target),
        Mode = 511,
        ModifiedTime = Noon,
        LinkTarget = target,
    };
}
