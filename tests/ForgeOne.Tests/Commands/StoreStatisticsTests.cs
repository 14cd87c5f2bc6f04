using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Get-ForgeStore.</summary>
public sealed class StoreStatisticsTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Counts_log_entries_per_shard_and_in_total_with_sizes_and_an_estimated_ratio()
    {
        var store = new TestStore(shell).Create(logShards: 2);
        store.Run("1..3000 | ForEach-Object { \"request $_ from 10.0.0.$($_ % 200) path=/api/v2/orders/$($_ * 7) status=200 latency_ms=$($_ % 900)\" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/api").ShouldSucceed();

        var statistics = store.Statistics();

        Assert.Equal(3000L, statistics.Get<long>("LogEntries"));
        Assert.Equal(3000L, statistics.Get<long>("Records"));
        var logShards = statistics.Items("Databases").Where(database => database.Get("Kind")!.ToString() == "Logs").ToList();
        Assert.Equal(2, logShards.Count);
        Assert.Equal(3000L, logShards.Sum(shard => shard.Get<long>("Records")));
        Assert.All(logShards, shard =>
        {
            Assert.True(shard.Get<long>("Records") > 0);
            Assert.True(shard.Get<long>("FileBytes") > shard.Get<long>("SealedBytes"));
            Assert.InRange(shard.Get<int>("SampledRecords"), 1, 500);
            Assert.Equal((double)shard.Get<long>("EstimatedPlaintextBytes") / shard.Get<long>("SealedBytes"), shard.Get<double>("CompressionRatio"), 6);
            Assert.Equal(new[] { 1 }, shard.Get<IReadOnlyList<int>>("Epochs"));
        });

        // A shard with over 1000 entries has trained its dictionary.
        Assert.Contains(logShards, shard => shard.Get<bool>("HasDictionary"));
        Assert.Equal(1, statistics.Get<int>("CurrentEpoch"));
        Assert.True(statistics.Get<long>("EstimatedPlaintextBytes") > 0);
    }

    [Fact]
    public void Long_repetitive_messages_show_a_high_estimated_compression_ratio()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        store.Run("1..200 | ForEach-Object { ('disk full on /var/lib ' * 100) + $_ } | Write-ForgeLog -Store $store -KeyFile $key -Topic infra/disk").ShouldSucceed();

        var shard = store.Statistics().Items("Databases").Single(database => database.Get<string>("Name") == "logs_shard_0.redb");

        // Each message is about 2.2 KB of UTF-8; sealed, each is a small fraction of that.
        Assert.Equal(200, shard.Get<int>("SampledRecords"));
        Assert.True(shard.Get<double>("CompressionRatio") > 5, $"ratio {shard.Get<double>("CompressionRatio")}");
        Assert.InRange(shard.Get<long>("EstimatedPlaintextBytes"), 200 * 2200, 200 * 2300);
    }

    [Fact]
    public void An_empty_store_has_no_records_and_a_zero_ratio()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        var statistics = store.Statistics();

        Assert.Equal(0L, statistics.Get<long>("Records"));
        Assert.Equal(0.0, statistics.Get<double>("CompressionRatio"));
        Assert.All(statistics.Items("Databases"), database => Assert.True(database.Get<long>("FileBytes") > 0));
    }

    [Fact]
    public void A_missing_store_is_a_terminating_StoreNotFound_error()
    {
        var store = new TestStore(shell);

        var result = store.RunCatching("Get-ForgeStore -Store $store -KeyFile $key");

        Assert.Equal("StoreNotFound,ForgeOne.Commands.GetForgeStoreCommand", result.Terminating?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Terminating!.CategoryInfo.Category);
    }

    [Fact]
    public void The_wrong_key_file_is_a_terminating_WrongCredentials_error()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        var other = Path.Combine(store.Root, "other.key");
        File.WriteAllBytes(other, new byte[32]);

        var result = store.RunCatching("Get-ForgeStore -Store $store -KeyFile $other", ("other", other));

        Assert.Equal("WrongCredentials,ForgeOne.Commands.GetForgeStoreCommand", result.Terminating?.FullyQualifiedErrorId);
    }

    [Fact]
    public void The_store_and_its_key_file_come_from_FORGE_STORE_and_FORGE_STORE_KEYFILE_when_not_given()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        var result = store.Run("""
            $env:FORGE_STORE = $store; $env:FORGE_STORE_KEYFILE = $key
            try { Get-ForgeStore } finally { $env:FORGE_STORE = $null; $env:FORGE_STORE_KEYFILE = $null }
            """).ShouldSucceed();

        Assert.Equal(store.Location, Assert.Single(result.Output).Get<string>("Path"));
    }

    [Fact]
    public void Without_any_store_the_error_says_how_to_name_one()
    {
        var result = new TestStore(shell).RunCatching("""$env:FORGE_CONFIG = "$root/none.json"; try { Get-ForgeStore } finally { $env:FORGE_CONFIG = $null }""");

        Assert.Equal("InvalidArgument,ForgeOne.Commands.GetForgeStoreCommand", result.Terminating?.FullyQualifiedErrorId);
        Assert.Contains("FORGE_STORE", result.Terminating!.Exception.Message, StringComparison.Ordinal);
    }
}
