using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>New-ForgeStore.</summary>
public sealed class StoreCreationTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Creates_a_store_with_the_shard_counts_and_region_asked_for()
    {
        var store = new TestStore(shell);

        var result = store.Run("New-ForgeStore -Path $store -KeyFile $key -LogShards 3 -BlobShards 1 -EventShards 2 -Region eu-west-1").ShouldSucceed();

        var statistics = Assert.Single(result.Output);
        Assert.Equal("StoreStatistics", statistics.TypeName());
        Assert.Equal(store.Location, statistics.Get<string>("Path"));
        Assert.Equal(store.Location, statistics.Get<string>("Store"));
        Assert.Equal("eu-west-1", statistics.Get<string>("Region"));
        Assert.Matches("^[0-9a-f]{32}$", statistics.Get<string>("Id"));
        Assert.Equal(3, statistics.Get<int>("LogShards"));
        Assert.Equal(0L, statistics.Get<long>("Records"));
        var names = statistics.Items("Databases").Select(database => database.Get<string>("Name")).ToList();
        Assert.Equal(["system.redb", "logs_shard_0.redb", "logs_shard_1.redb", "logs_shard_2.redb", "blobs_shard_0.redb", "events_shard_0.redb", "events_shard_1.redb"], names);
        Assert.All(names, name => Assert.True(File.Exists(Path.Combine(store.Location, name)), name));
    }

    [Fact]
    public void A_folder_that_is_not_empty_is_a_StoreExists_error_and_is_left_alone()
    {
        var store = new TestStore(shell);
        Directory.CreateDirectory(store.Location);
        File.WriteAllText(Path.Combine(store.Location, "keep.txt"), "mine");

        var result = store.Run("New-ForgeStore -Path $store -KeyFile $key");

        Assert.Empty(result.Output);
        Assert.Equal(["StoreExists,ForgeOne.Commands.NewForgeStoreCommand"], result.ErrorIds);
        Assert.Equal(ErrorCategory.ResourceExists, result.Errors[0].CategoryInfo.Category);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(store.Location).Select(Path.GetFileName));
    }

    [Fact]
    public void WhatIf_creates_nothing()
    {
        var store = new TestStore(shell);

        var result = store.Run("New-ForgeStore -Path $store -KeyFile $key -WhatIf").ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(store.Location));
    }

    [Fact]
    public void A_malformed_region_is_a_validation_error_naming_the_Region_field()
    {
        var store = new TestStore(shell);

        var result = store.Run("New-ForgeStore -Path $store -KeyFile $key -Region 'EU West'");

        Assert.Equal(["StoreValidationFailed,ForgeOne.Commands.NewForgeStoreCommand"], result.ErrorIds);
        Assert.Equal("Region", ((dynamic)result.Errors[0].Exception).Field);
        Assert.Contains("Region", result.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store.Location));
    }

    [Fact]
    public void A_shard_count_above_16_is_refused_by_parameter_validation()
    {
        var store = new TestStore(shell);

        var result = store.RunCatching("New-ForgeStore -Path $store -KeyFile $key -LogShards 17");

        Assert.Equal("ParameterArgumentValidationError,ForgeOne.Commands.NewForgeStoreCommand", result.Terminating?.FullyQualifiedErrorId);
        Assert.False(Directory.Exists(store.Location));
    }

    [Fact]
    public void The_new_store_pipes_into_Get_ForgeStore_by_its_Store_property()
    {
        var store = new TestStore(shell);

        var result = store.Run("New-ForgeStore -Path $store -KeyFile $key -LogShards 2 | Get-ForgeStore -KeyFile $key").ShouldSucceed();

        var statistics = Assert.Single(result.Output);
        Assert.Equal(store.Location, statistics.Get<string>("Path"));
        Assert.Equal(2, statistics.Get<int>("LogShards"));
    }

    [Fact]
    public void A_store_created_with_a_passphrase_opens_with_it_and_not_with_another()
    {
        var store = new TestStore(shell);
        store.Run("$null = New-ForgeStore -Path $store -Credential $cred -LogShards 1", ("cred", TestRepository.Credential("store pw"))).ShouldSucceed();

        store.Run("$null = Get-ForgeStore -Store $store -Credential $cred", ("cred", TestRepository.Credential("store pw"))).ShouldSucceed();
        var wrong = store.RunCatching("Get-ForgeStore -Store $store -Credential $cred", ("cred", TestRepository.Credential("other")));

        Assert.Equal("WrongCredentials,ForgeOne.Commands.GetForgeStoreCommand", wrong.Terminating?.FullyQualifiedErrorId);
    }
}
