using System.Security.Cryptography;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge blob add|get|list|remove</c>.</summary>
public sealed class StoreBlobCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-blob-");
    private readonly Dictionary<string, string?> _environment;

    public StoreBlobCommandTests()
    {
        var key = _scratch["store.key"];
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(32));
        _environment = new Dictionary<string, string?> { ["FORGE_STORE"] = _scratch["store"], ["FORGE_STORE_KEYFILE"] = key };
        Run(["store", "init"]).Expect(0);
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Standard_input_in_and_standard_output_out_are_byte_identical()
    {
        var content = TestFiles.RandomBytes(3_500_000, 1);

        var added = StoreCommandTests.Json(Run(["blob", "add", "dumps/db.bin", "--content-type", "application/x-db", "--json"], content).Expect(0));
        var read = Run(["blob", "get", "dumps/db.bin"]).Expect(0);

        Assert.Equal(content, read.OutputBytes);
        Assert.Equal(content.Length, added.GetProperty("size").GetInt64());
        Assert.Equal("application/x-db", added.GetProperty("contentType").GetString());
        Assert.True(added.GetProperty("chunkCount").GetInt32() > 1);
        Assert.Equal(Convert.ToHexStringLower(Core.Crypto.Blake3.Hash(content)), added.GetProperty("checksum").GetString());
    }

    [Fact]
    public void A_file_in_and_a_file_out_are_byte_identical_and_nothing_else_is_left_beside_it()
    {
        var source = _scratch["in.bin"];
        var content = TestFiles.WriteRandom(source, 700_000, 2);
        var output = _scratch["out/copy.bin"];

        Run(["blob", "add", "copy.bin", "--file", source]).Expect(0);
        var get = Run(["blob", "get", "copy.bin", "--output", output]).Expect(0);

        Assert.Equal(content, File.ReadAllBytes(output));
        Assert.Empty(get.OutputBytes);
        Assert.Equal(["copy.bin"], Directory.GetFileSystemEntries(_scratch["out"]).Select(Path.GetFileName));
    }

    [Fact]
    public void Get_to_an_existing_file_needs_force()
    {
        var output = _scratch["out.bin"];
        File.WriteAllText(output, "mine");
        Run(["blob", "add", "b"], [1, 2, 3]).Expect(0);

        Run(["blob", "get", "b", "-o", output]).Expect(ExitCodes.Failure);
        var kept = File.ReadAllText(output);
        Run(["blob", "get", "b", "-o", output, "--force"]).Expect(0);

        Assert.Equal("mine", kept);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(output));
    }

    [Fact]
    public void List_filters_by_prefix_and_prints_json_by_name()
    {
        Run(["blob", "add", "b/two", "--metadata", "owner=ops"], [2]).Expect(0);
        Run(["blob", "add", "b/one"], [1]).Expect(0);
        Run(["blob", "add", "a/zero"], [0]).Expect(0);

        var listed = StoreCommandTests.Json(Run(["blob", "list", "--prefix", "b/", "--json"]).Expect(0)).EnumerateArray().ToList();
        var text = Run(["blob", "list"]).Expect(0);

        Assert.Equal(["b/one", "b/two"], listed.Select(blob => blob.GetProperty("name").GetString()));
        Assert.Equal("ops", listed[1].GetProperty("metadata").GetProperty("owner").GetString());
        Assert.Equal(3, text.Output.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public void Adding_under_a_name_again_replaces_the_blob()
    {
        Run(["blob", "add", "same"], [1, 1, 1]).Expect(0);
        Run(["blob", "add", "same"], [2, 2]).Expect(0);

        Assert.Equal(new byte[] { 2, 2 }, Run(["blob", "get", "same"]).Expect(0).OutputBytes);
        Assert.Single(StoreCommandTests.Json(Run(["blob", "list", "--json"]).Expect(0)).EnumerateArray());
    }

    [Fact]
    public void Remove_deletes_the_blob_and_a_missing_blob_exits_1()
    {
        Run(["blob", "add", "gone"], [9]).Expect(0);

        Run(["blob", "remove", "gone"]).Expect(0);
        var again = Run(["blob", "remove", "gone"]).Expect(ExitCodes.Failure);
        var get = Run(["blob", "get", "gone"]).Expect(ExitCodes.Failure);

        Assert.Contains("no blob named 'gone'", again.Error, StringComparison.Ordinal);
        Assert.Empty(get.OutputBytes);
        Assert.Empty(StoreCommandTests.Json(Run(["blob", "list", "--json"]).Expect(0)).EnumerateArray());
    }

    [Fact]
    public void Forget_subject_erases_a_blobs_subject_and_sensitive_fields_and_keeps_its_content()
    {
        Run(["blob", "add", "cv.pdf", "--subject", "alice", "--metadata", "email=a@example.com", "--sensitive", "email"], [1]).Expect(0);

        var before = Assert.Single(StoreCommandTests.Json(Run(["blob", "list", "--json"]).Expect(0)).EnumerateArray());
        Run(["store", "forget-subject", "alice"]).Expect(0);
        var after = Assert.Single(StoreCommandTests.Json(Run(["blob", "list", "--json"]).Expect(0)).EnumerateArray());

        Assert.Equal("alice", before.GetProperty("subject").GetString());
        Assert.Equal("a@example.com", before.GetProperty("metadata").GetProperty("email").GetString());
        Assert.True(after.GetProperty("subjectErased").GetBoolean());
        Assert.False(after.GetProperty("metadata").TryGetProperty("email", out _));
        Assert.Equal(new byte[] { 1 }, Run(["blob", "get", "cv.pdf"]).Expect(0).OutputBytes);
    }

    private Forge.Result Run(string[] arguments, byte[]? stdin = null) => Forge.Run(arguments, stdin ?? [], environment: _environment);
}
