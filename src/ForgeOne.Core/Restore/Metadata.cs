using ForgeOne.Core.FileSystem;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Restore;

/// <summary>Gives a restored file or folder the mode, times and, where permitted, owner its snapshot recorded.</summary>
internal static class Metadata
{
    internal static void Apply(string path, TreeNode node)
    {
        if (node.Uid is { } uid && node.Gid is { } gid)
        {
            // Only root may give files away; for everyone else keeping their own ownership is the right result.
            UnixOwnership.TrySet(path, uid, gid);
        }

        // Mode 0 is a real mode (chmod 000), not "unknown": skipping it would leave the file readable by everyone.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)node.Mode);
        }

        var modified = node.ModifiedTime.UtcDateTime;
        if (node.Type == NodeType.Directory)
        {
            Directory.SetLastWriteTimeUtc(path, modified);
            if (node.AccessTime is { } accessed)
            {
                Directory.SetLastAccessTimeUtc(path, accessed.UtcDateTime);
            }
        }
        else
        {
            File.SetLastWriteTimeUtc(path, modified);
            if (node.AccessTime is { } accessed)
            {
                File.SetLastAccessTimeUtc(path, accessed.UtcDateTime);
            }
        }
    }
}
