using System.Diagnostics;
using ForgeOne.Core.FileSystem;

namespace ForgeOne.Core.Tests.FileSystem;

public sealed class FileMetadataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("meta-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Regular_file_reports_size_mode_and_times()
    {
        var file = Path.Combine(_folder, "f.txt");
        File.WriteAllText(file, "hello");
        var written = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(file, written);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        var meta = FileMetadata.Read(file);

        Assert.Equal(FileKind.Regular, meta.Kind);
        Assert.Equal(5, meta.Size);
        Assert.Equal(written, meta.ModifiedTime.UtcDateTime);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Convert.ToInt32("640", 8), meta.Mode);
        }
    }

    [Fact]
    public void Linux_reports_inode_ctime_and_owner_as_stat_does()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // statx is Linux-only; other platforms fall back to the managed API.
        }

        var file = Path.Combine(_folder, "g.bin");
        File.WriteAllBytes(file, new byte[1234]);

        var meta = FileMetadata.Read(file);
        var stat = Run("stat", "-c", "%i %u %g %Z %d", file).Split(' ');

        Assert.Equal(ulong.Parse(stat[0]), meta.Inode);
        Assert.Equal(long.Parse(stat[1]), meta.Uid);
        Assert.Equal(long.Parse(stat[2]), meta.Gid);
        Assert.Equal(long.Parse(stat[3]), meta.ChangeTime!.Value.ToUnixTimeSeconds());
        Assert.NotEqual(0UL, meta.DeviceId);
    }

    [Fact]
    public void Symlink_is_not_followed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating symlinks on Windows needs a privilege CI lacks.
        }

        var link = Path.Combine(_folder, "link");
        File.CreateSymbolicLink(link, "target-that-does-not-exist");

        var meta = FileMetadata.Read(link);

        Assert.Equal(FileKind.SymbolicLink, meta.Kind);
        Assert.Equal("target-that-does-not-exist".Length, meta.Size);
    }

    [Fact]
    public void Directory_and_missing_path_are_told_apart()
    {
        Assert.Equal(FileKind.Directory, FileMetadata.Read(_folder).Kind);
        Assert.Throws<FileNotFoundException>(() => FileMetadata.Read(Path.Combine(_folder, "nope")));
    }

    [Fact]
    public void Rewritten_file_with_same_size_and_time_is_seen_changed_by_its_inode()
    {
        var file = Path.Combine(_folder, "h.bin");
        File.WriteAllBytes(file, [1, 2, 3]);
        var time = new DateTime(2024, 5, 5, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, time);
        var before = FileMetadata.Read(file);

        // Replace the file (new inode) and forge size and mtime back to the old values.
        var replacement = Path.Combine(_folder, "h.new");
        File.WriteAllBytes(replacement, [9, 9, 9]);
        File.Move(replacement, file, overwrite: true);
        File.SetLastWriteTimeUtc(file, time);
        var after = FileMetadata.Read(file);

        Assert.True(before.LooksUnchangedSince(before));
        if (OperatingSystem.IsLinux())
        {
            Assert.False(after.LooksUnchangedSince(before));
        }
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
