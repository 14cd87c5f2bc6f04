using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Update-ForgeStoreKey.</summary>
public sealed class StoreKeyRotationTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void A_rotation_stopped_half_way_is_resumed_and_every_record_stays_readable()
    {
        var store = new TestStore(shell).Create(logShards: 2);
        store.Run("""
            1..1500 | ForEach-Object { "entry $_" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/k
            1..50 | ForEach-Object { "event $_" } | Send-ForgeEvent -Store $store -KeyFile $key -Topic app/k
            [byte[]](1..250) | Add-ForgeBlob -Store $store -KeyFile $key -Name blob.bin | Out-Null
            """).ShouldSucceed();
        var before = store.Statistics();
        using (var other = ReflectedStore.Open(before.BaseObject, store.Location, store.KeyFile))
        {
            other.RotateKeyAndStopAfterFirstBatch(batchSize: 100);
        }

        var result = Assert.Single(store.Run("Update-ForgeStoreKey -Store $store -KeyFile $key -BatchSize 100").ShouldSucceed().Output);

        Assert.Equal("StoreKeyRotationResult", result.TypeName());
        Assert.True(result.Get<bool>("Resumed"));
        Assert.True(result.Get<bool>("Completed"));
        Assert.Equal(0L, result.Get<long>("RecordsRemaining"));
        Assert.True(result.Get<long>("RecordsResealed") > 0);
        var epoch = result.Get<int>("Epoch");
        Assert.True(epoch > before.Get<int>("CurrentEpoch"));
        var after = store.Statistics();
        Assert.All(after.Items("Databases").Where(database => database.Get<long>("Records") > 0),
            database => Assert.Equal([epoch], ((System.Collections.IEnumerable)database.Get("Epochs")!).Cast<int>()));
        var messages = store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/k | ForEach-Object Message").ShouldSucceed().BaseObjects.Cast<string>();
        Assert.Equal(Enumerable.Range(1, 1500).Select(i => $"entry {i}").Order(StringComparer.Ordinal), messages.Order(StringComparer.Ordinal));
        Assert.Equal(50, store.Run("Get-ForgeEvent -Store $store -KeyFile $key").ShouldSucceed().Output.Count);
        var saved = store.Run("Save-ForgeBlob -Store $store -KeyFile $key -Name blob.bin -Path $root | ForEach-Object FullName").ShouldSucceed();
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (byte)i), File.ReadAllBytes((string)saved.BaseObjects.Single()));
        StoreFiles.ShouldAllPassIntegrityCheck(store.Location);
    }

    [Fact]
    public void A_fresh_rotation_is_not_resumed_and_WhatIf_changes_nothing()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        store.Run("'a', 'b' | Write-ForgeLog -Store $store -KeyFile $key -Topic app/k").ShouldSucceed();
        var epoch = store.Statistics().Get<int>("CurrentEpoch");

        store.Run("Update-ForgeStoreKey -Store $store -KeyFile $key -WhatIf").ShouldSucceed();
        Assert.Equal(epoch, store.Statistics().Get<int>("CurrentEpoch"));

        var result = Assert.Single(store.Run("Update-ForgeStoreKey -Store $store -KeyFile $key").ShouldSucceed().Output);
        Assert.False(result.Get<bool>("Resumed"));
        Assert.True(result.Get<bool>("Completed"));
        Assert.Equal(epoch + 1, store.Statistics().Get<int>("CurrentEpoch"));
    }
}
