using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>New-ForgeSnapshot, Get-ForgeSnapshot and Test-ForgeSnapshot -Store.</summary>
public sealed class StoreSnapshotTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void A_snapshot_taken_while_another_user_writes_verifies()
    {
        var store = new TestStore(shell).Create(logShards: 2);
        store.Run("1..200 | ForEach-Object { \"before $_\" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/w").ShouldSucceed();
        using var writer = ReflectedStore.Open(store.Statistics().BaseObject, store.Location, store.KeyFile);
        var batches = 0;
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var writing = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var batch = Interlocked.Increment(ref batches);
                    writer.WriteLogs("app/w", Enumerable.Range(0, 100).Select(i => $"during {batch}.{i}"));
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        writing.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref batches) >= 2 || !writing.IsAlive);

        PowerShellResult result;
        try
        {
            result = store.Run("New-ForgeSnapshot -Store $store -KeyFile $key | Test-ForgeSnapshot -Store $store -StoreKeyFile $key");
        }
        finally
        {
            stop.Cancel();
            writing.Join();
        }

        Assert.Null(failure);

        result.ShouldSucceed();
        var names = result.Output.Select(v => v.Get<string>("Database")).ToList();
        Assert.Equal(["system.redb", "logs_shard_0.redb", "logs_shard_1.redb", "blobs_shard_0.redb", "blobs_shard_1.redb", "events_shard_0.redb", "events_shard_1.redb"], names);
        Assert.All(result.Output, verification =>
        {
            Assert.Equal("StoreSnapshotVerification", verification.TypeName());
            Assert.True(verification.Get<bool>("Passed"), string.Join("; ", verification.Get<IReadOnlyList<string>>("Problems")));
            Assert.Equal(verification.Get<string>("ExpectedDna"), verification.Get<string>("ActualDna"));
        });
        Assert.Single(result.Output.Select(v => v.Get<string>("Id")).Distinct());
        StoreFiles.ShouldAllPassIntegrityCheck(store.Location);
    }

    [Fact]
    public void Get_ForgeSnapshot_lists_sets_and_finds_one_database_by_id_prefix()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        var taken = store.Run("New-ForgeSnapshot -Store $store -KeyFile $key -Database logs").ShouldSucceed().Output;

        var all = store.Run("Get-ForgeSnapshot -Store $store -KeyFile $key").ShouldSucceed().Output;
        var id = Assert.Single(taken).Get<string>("Id");
        var one = store.Run("Get-ForgeSnapshot -Store $store -KeyFile $key -Id $prefix -Database logs_shard_0.redb", ("prefix", id[..12])).ShouldSucceed().Output;
        var missing = store.Run("Get-ForgeSnapshot -Store $store -KeyFile $key -Id 1999");

        Assert.Equal("StoreSnapshot", taken[0].TypeName());
        Assert.Equal("logs_shard_0.redb", taken[0].Get<string>("Database"));
        Assert.Equal("ok", taken[0].Get<string>("Integrity"));
        Assert.True(File.Exists(taken[0].Get<string>("Path")));
        Assert.Equal([id], all.Select(s => s.Get<string>("Id")));
        Assert.Equal(taken[0].Get<string>("LogicalDna"), Assert.Single(one).Get<string>("LogicalDna"));
        Assert.Equal(["StoreSnapshotNotFound,ForgeOne.Commands.GetForgeSnapshotCommand"], missing.ErrorIds);
    }

    [Fact]
    public void A_damaged_snapshot_copy_is_a_failed_result_not_an_error()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        store.Run("1..300 | ForEach-Object { \"entry $_\" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/d").ShouldSucceed();
        var snapshot = Assert.Single(store.Run("New-ForgeSnapshot -Store $store -KeyFile $key -Database logs_shard_0.redb").ShouldSucceed().Output);
        var path = snapshot.Get<string>("Path");

        // Damage one sealed block where it matters (random bytes in a 64 KiB page may land in unused space).
        StoreFiles.Sqlite3(path, "UPDATE logs SET value = zeroblob(length(value)) WHERE id = (SELECT min(id) FROM logs)");

        var result = store.Run("Test-ForgeSnapshot -Store $store -StoreKeyFile $key -Id $id", ("id", snapshot.Get<string>("Id")));

        Assert.Empty(result.Errors);
        var verification = Assert.Single(result.Output);
        Assert.False(verification.Get<bool>("Passed"));
        Assert.NotEmpty(verification.Get<IReadOnlyList<string>>("Problems"));
    }

    [Fact]
    public void Test_ForgeSnapshot_with_Store_opens_it_with_KeyFile_when_no_StoreKeyFile_is_given()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        var result = store.Run("New-ForgeSnapshot -Store $store -KeyFile $key -Database system | Test-ForgeSnapshot -Store $store -KeyFile $key").ShouldSucceed();

        Assert.True(Assert.Single(result.Output).Get<bool>("Passed"));
    }
}
