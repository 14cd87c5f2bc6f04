using System.Runtime.InteropServices;

namespace ForgeOne.Core.FileSystem;

/// <summary>
/// Sets a restored entry's owner with <c>lchown(2)</c>, which .NET does not expose. Only root (or CAP_CHOWN) may
/// give files away, so a failure is expected for ordinary users and reported as false, not thrown.
/// </summary>
internal static partial class UnixOwnership
{
    /// <summary>Tries to set the owner of <paramref name="path"/> (not following a symlink).</summary>
    /// <returns>True when the owner was set; false on Windows or when the system refused.</returns>
    internal static bool TrySet(string path, long uid, long gid)
    {
        if (OperatingSystem.IsWindows() || uid < 0 || gid < 0 || uid > uint.MaxValue || gid > uint.MaxValue)
        {
            return false;
        }

        try
        {
            return LChown(path, (uint)uid, (uint)gid) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint owner, uint group);
}
