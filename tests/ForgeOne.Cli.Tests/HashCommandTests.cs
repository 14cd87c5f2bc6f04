using System.Text;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

public sealed class HashCommandTests
{
    private static string Folder(params (string Name, int Size)[] files)
    {
        var folder = Directory.CreateTempSubdirectory("cli-hash-").FullName;
        var random = new Random(7);
        foreach (var (name, size) in files)
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        return folder;
    }

    [Fact]
    public void Output_is_byte_identical_to_b3sum()
    {
        var folder = Folder(("a.bin", 0), ("b.bin", 1024), ("c d.bin", 1025), ("big.bin", 3 << 20));
        string[] names = ["a.bin", "b.bin", "c d.bin", "big.bin"];

        var forge = Forge.Run([.. new[] { "hash" }, .. names], workingDirectory: folder);

        Assert.Equal(0, forge.ExitCode);
        Assert.Equal(B3sum.Run(folder, names), forge.Output);
    }

    [Fact]
    public void Awkward_names_are_escaped_as_b3sum_escapes_them()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows file names cannot hold a backslash or newline.
        }

        var folder = Folder(("back\\slash", 10), ("new\nline", 20));

        var forge = Forge.Run(["hash", "back\\slash", "new\nline"], workingDirectory: folder);

        Assert.Equal(B3sum.Run(folder, "back\\slash", "new\nline"), forge.Output);
        Assert.StartsWith("\\", forge.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_and_no_names_match_b3sum()
    {
        var folder = Folder(("x.bin", 5000));

        var forge = Forge.Run(["hash", "--length", "131", "--no-names", "x.bin"], workingDirectory: folder);

        Assert.Equal(B3sum.Run(folder, "--length", "131", "--no-names", "x.bin"), forge.Output);
    }

    [Fact]
    public void Keyed_mode_reads_the_key_from_stdin_like_b3sum()
    {
        var folder = Folder(("k.bin", 4096));
        var key = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

        var forge = Forge.Run(["hash", "--keyed", "k.bin"], key, folder);
        var reference = B3sum.Run(folder, ["--keyed", "k.bin"], key);

        Assert.Equal(0, forge.ExitCode);
        Assert.Equal(reference, forge.Output);
    }

    [Fact]
    public void Stdin_is_hashed_when_the_file_is_a_dash()
    {
        var data = Encoding.UTF8.GetBytes("hello from stdin\n");
        var folder = Folder();

        var forge = Forge.Run(["hash", "-"], data, folder);

        Assert.Equal(B3sum.Run(folder, ["-"], data), forge.Output);
    }

    [Fact]
    public void Json_carries_the_same_fields_as_the_PowerShell_object()
    {
        var folder = Folder(("j.bin", 99));

        var forge = Forge.Run(["hash", "--json", "j.bin"], workingDirectory: folder);

        var item = Assert.Single(JsonDocument.Parse(forge.Output).RootElement.EnumerateArray());
        Assert.Equal("BLAKE3", item.GetProperty("algorithm").GetString());
        Assert.Equal("j.bin", item.GetProperty("path").GetString());
        Assert.Equal(B3sum.Run(folder, "--no-names", "j.bin").Trim(), item.GetProperty("hash").GetString());
    }

    [Fact]
    public void Missing_file_fails_with_one_line_and_the_others_are_still_hashed()
    {
        var folder = Folder(("ok.bin", 3));

        var forge = Forge.Run(["hash", "missing.bin", "ok.bin"], workingDirectory: folder);

        Assert.Equal(1, forge.ExitCode);
        Assert.Equal(B3sum.Run(folder, "ok.bin"), forge.Output);
        Assert.Single(forge.Error.Trim().Split('\n'));
        Assert.Contains("missing.bin", forge.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_length_is_a_usage_error()
    {
        var forge = Forge.Run("hash", "--length", "0", "x");

        Assert.Equal(2, forge.ExitCode);
        Assert.Contains("--length", forge.Error, StringComparison.Ordinal);
    }
}
