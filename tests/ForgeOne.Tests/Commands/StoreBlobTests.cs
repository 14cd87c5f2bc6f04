using System.Security.Cryptography;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Add-ForgeBlob, Get-ForgeBlob, Save-ForgeBlob and Remove-ForgeBlob.</summary>
public sealed class StoreBlobTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void A_blob_added_from_a_file_saves_back_byte_identical()
    {
        var store = new TestStore(shell).Create();
        var source = Path.Combine(store.Root, "report.bin");
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        File.WriteAllBytes(source, content);

        var added = Assert.Single(store.Run("Add-ForgeBlob -Store $store -KeyFile $key -Name reports/q1.bin -Path $file -ContentType application/x-test -Metadata @{ quarter = 'q1' }",
            ("file", source)).ShouldSucceed().Output);
        var saved = Assert.Single(store.Run("Save-ForgeBlob -Store $store -KeyFile $key -Name reports/q1.bin -Path $out",
            ("out", Path.Combine(store.Root, "copy.bin"))).ShouldSucceed().Output);

        Assert.Equal("BlobMetadata", added.TypeName());
        Assert.Equal("reports/q1.bin", added.Get<string>("Name"));
        Assert.Equal((long)content.Length, added.Get<long>("Size"));
        Assert.Equal("application/x-test", added.Get<string>("ContentType"));
        Assert.Equal(B3sum.HashHex(source), added.Get<string>("Checksum"));
        Assert.True(added.Get<int>("ChunkCount") > 1, "a 3 MiB blob is cut into several chunks");
        Assert.Equal("FileInfo", saved.TypeName());
        Assert.Equal(content, File.ReadAllBytes(saved.Get<string>("FullName")));
        Assert.Empty(Directory.GetFiles(store.Root, ".*"));
    }

    [Fact]
    public void Files_piped_in_become_blobs_named_as_the_files()
    {
        var store = new TestStore(shell).Create();
        var folder = Directory.CreateDirectory(Path.Combine(store.Root, "docs")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.txt"), "alpha");
        File.WriteAllText(Path.Combine(folder, "b.txt"), "beta");

        store.Run("[IO.DirectoryInfo]::new($docs).GetFiles() | Add-ForgeBlob -Store $store -KeyFile $key", ("docs", folder)).ShouldSucceed();

        var blobs = store.Run("Get-ForgeBlob -Store $store -KeyFile $key").ShouldSucceed().Output;
        Assert.Equal(["a.txt", "b.txt"], blobs.Select(blob => blob.Get<string>("Name")));
        Assert.Equal([5L, 4L], blobs.Select(blob => blob.Get<long>("Size")));
    }

    [Fact]
    public void Bytes_from_the_pipeline_become_one_blob()
    {
        var store = new TestStore(shell).Create();
        var content = RandomNumberGenerator.GetBytes(70_000);

        var added = Assert.Single(store.Run("$bytes | Add-ForgeBlob -Store $store -KeyFile $key -Name piped.bin", ("bytes", content)).ShouldSucceed().Output);
        var saved = store.Run("Save-ForgeBlob -Store $store -KeyFile $key -Name piped.bin -Path $root | ForEach-Object FullName").ShouldSucceed();

        Assert.Equal(70_000L, added.Get<long>("Size"));
        Assert.Equal(content, File.ReadAllBytes((string)saved.BaseObjects.Single()));
    }

    [Fact]
    public void Get_ForgeBlob_finds_by_name_and_prefix_and_reports_a_missing_name()
    {
        var store = new TestStore(shell).Create();
        store.Run("""
            foreach ($name in 'inv/1', 'inv/2', 'tmp/x') { [byte[]](1, 2, 3) | Add-ForgeBlob -Store $store -KeyFile $key -Name $name | Out-Null }
            """).ShouldSucceed();

        var byPrefix = store.Run("Get-ForgeBlob -Store $store -KeyFile $key -Prefix inv/").ShouldSucceed().Output;
        var byName = store.Run("Get-ForgeBlob -Store $store -KeyFile $key -Name tmp/x").ShouldSucceed().Output;
        var missing = store.Run("Get-ForgeBlob -Store $store -KeyFile $key -Name inv/1, nope");

        Assert.Equal(["inv/1", "inv/2"], byPrefix.Select(blob => blob.Get<string>("Name")));
        Assert.Equal("tmp/x", Assert.Single(byName).Get<string>("Name"));
        Assert.Equal("inv/1", Assert.Single(missing.Output).Get<string>("Name"));
        Assert.Equal(["BlobNotFound,ForgeOne.Commands.GetForgeBlobCommand"], missing.ErrorIds);
    }

    [Fact]
    public void Save_ForgeBlob_leaves_an_existing_file_alone_without_Force()
    {
        var store = new TestStore(shell).Create();
        var target = Path.Combine(store.Root, "out.bin");
        File.WriteAllText(target, "mine");
        store.Run("[byte[]](9, 9) | Add-ForgeBlob -Store $store -KeyFile $key -Name b").ShouldSucceed();

        var refused = store.Run("Save-ForgeBlob -Store $store -KeyFile $key -Name b -Path $out", ("out", target));
        Assert.Equal(["IOError,ForgeOne.Commands.SaveForgeBlobCommand"], refused.ErrorIds);
        Assert.Equal("mine", File.ReadAllText(target));

        store.Run("Save-ForgeBlob -Store $store -KeyFile $key -Name b -Path $out -Force", ("out", target)).ShouldSucceed();
        Assert.Equal([9, 9], File.ReadAllBytes(target));
    }

    [Fact]
    public void Remove_ForgeBlob_removes_nothing_under_WhatIf_and_the_blob_with_Confirm_false()
    {
        var store = new TestStore(shell).Create();
        store.Run("[byte[]](1) | Add-ForgeBlob -Store $store -KeyFile $key -Name gone").ShouldSucceed();

        store.Run("Get-ForgeBlob -Store $store -KeyFile $key -Name gone | Remove-ForgeBlob -Store $store -KeyFile $key -WhatIf").ShouldSucceed();
        Assert.Single(store.Run("Get-ForgeBlob -Store $store -KeyFile $key").ShouldSucceed().Output);

        store.Run("Remove-ForgeBlob -Store $store -KeyFile $key -Name gone -Confirm:$false").ShouldSucceed();
        Assert.Empty(store.Run("Get-ForgeBlob -Store $store -KeyFile $key").ShouldSucceed().Output);
        var again = store.Run("Remove-ForgeBlob -Store $store -KeyFile $key -Name gone -Confirm:$false");
        Assert.Equal(["BlobNotFound,ForgeOne.Commands.RemoveForgeBlobCommand"], again.ErrorIds);
    }

    [Fact]
    public void Blobs_piped_from_Get_ForgeBlob_save_into_a_folder_under_their_last_name_part()
    {
        var store = new TestStore(shell).Create();
        store.Run("""
            [byte[]](1, 1) | Add-ForgeBlob -Store $store -KeyFile $key -Name inv/one.bin | Out-Null
            [byte[]](2, 2, 2) | Add-ForgeBlob -Store $store -KeyFile $key -Name inv/two.bin | Out-Null
            """).ShouldSucceed();
        var folder = Directory.CreateDirectory(Path.Combine(store.Root, "out")).FullName;

        var saved = store.Run("Get-ForgeBlob -Store $store -KeyFile $key -Prefix inv/ | Save-ForgeBlob -Store $store -KeyFile $key -Path $out", ("out", folder)).ShouldSucceed().Output;
        var byName = store.Run("'inv/two.bin' | Get-ForgeBlob -Store $store -KeyFile $key").ShouldSucceed().Output;

        Assert.Equal([Path.Combine(folder, "one.bin"), Path.Combine(folder, "two.bin")], saved.Select(file => file.Get<string>("FullName")));
        Assert.Equal([2, 2, 2], File.ReadAllBytes(Path.Combine(folder, "two.bin")));
        Assert.Equal(3L, Assert.Single(byName).Get<long>("Size"));
    }

    [Fact]
    public void Adding_under_an_existing_name_replaces_the_blob()
    {
        var store = new TestStore(shell).Create();

        var first = Assert.Single(store.Run("[byte[]](1, 2) | Add-ForgeBlob -Store $store -KeyFile $key -Name same").ShouldSucceed().Output);
        var second = Assert.Single(store.Run("[byte[]](3, 4, 5) | Add-ForgeBlob -Store $store -KeyFile $key -Name same").ShouldSucceed().Output);

        Assert.NotEqual(first.Get<long>("Id"), second.Get<long>("Id"));
        var only = Assert.Single(store.Run("Get-ForgeBlob -Store $store -KeyFile $key").ShouldSucceed().Output);
        Assert.Equal(3L, only.Get<long>("Size"));
    }

    [Fact]
    public void Nothing_to_add_is_a_NoContent_error()
    {
        var store = new TestStore(shell).Create();

        var result = store.Run("Add-ForgeBlob -Store $store -KeyFile $key -Name empty");

        Assert.Equal(["NoContent,ForgeOne.Commands.AddForgeBlobCommand"], result.ErrorIds);
        Assert.Empty(store.Run("Get-ForgeBlob -Store $store -KeyFile $key").ShouldSucceed().Output);
    }
}
