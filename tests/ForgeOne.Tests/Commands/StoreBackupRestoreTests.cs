using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>New-ForgeBackup -Store, Restore-ForgeBackup -Store and Remove-ForgeSubjectKey across them.</summary>
public sealed class StoreBackupRestoreTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private const string Backup = "New-ForgeBackup -Repository $repo -KeyFile $repoKey -Store $store -StoreKeyFile $key";
    private const string Restore = "Restore-ForgeBackup -Repository $repo -KeyFile $repoKey -Store $store -StoreKeyFile $key -Confirm:$false";

    [Fact]
    public void A_lost_shard_restored_from_a_store_backup_matches_the_backups_logical_DNA()
    {
        var (store, vars) = NewStoreAndRepository();
        Run(store, "1..500 | ForEach-Object { \"line $_\" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/r", vars).ShouldSucceed();
        Run(store, "'e1', 'e2' | Send-ForgeEvent -Store $store -KeyFile $key -Topic app/e; [byte[]](1..200) | Add-ForgeBlob -Store $store -KeyFile $key -Name b | Out-Null", vars).ShouldSucceed();

        var snapshot = Assert.Single(Run(store, Backup, vars).ShouldSucceed().Output);
        var manifest = PSObject.AsPSObject(snapshot.Get("Store")!).Items("Databases").ToDictionary(entry => entry.Get<string>("Database"), entry => entry.Get<string>("LogicalDna"));
        foreach (var file in Directory.GetFiles(store.Location, "logs_shard_0.redb*"))
        {
            File.Delete(file);
        }

        var lost = Run(store, "Get-ForgeLog -Store $store -KeyFile $key -Topic app/r", vars);
        var result = Assert.Single(Run(store, Restore + " -Target logs_shard_0.redb", vars).ShouldSucceed().Output);
        var live = Assert.Single(Run(store, "New-ForgeSnapshot -Store $store -KeyFile $key -Database logs_shard_0.redb", vars).ShouldSucceed().Output);

        Assert.Equal("Snapshot", snapshot.TypeName());
        Assert.Contains("forge-store", snapshot.Get<IReadOnlyList<string>>("Tags"));
        Assert.Equal(["StoreFormatInvalid,ForgeOne.Commands.GetForgeLogCommand"], lost.ErrorIds);
        Assert.Equal("StoreRestoreResult", result.TypeName());
        Assert.Equal(snapshot.Get<string>("Id"), result.Get<string>("SnapshotId"));
        Assert.True(result.Get<bool>("Verified"));
        var restored = Assert.Single(result.Items("Databases"));
        Assert.Equal("logs_shard_0.redb", restored.Get<string>("Database"));
        Assert.Null(restored.Get("PreviousVersion"));
        var expected = manifest["logs_shard_0.redb"];
        Assert.Equal(expected, restored.Get<string>("LogicalDna"));
        Assert.Equal(expected, live.Get<string>("LogicalDna"));
        Assert.Equal(500, Run(store, "Get-ForgeLog -Store $store -KeyFile $key -Topic app/r", vars).ShouldSucceed().Output.Count);
        Assert.Equal(["system.redb", "logs_shard_0.redb", "logs_shard_1.redb", "blobs_shard_0.redb", "blobs_shard_1.redb", "events_shard_0.redb", "events_shard_1.redb"], manifest.Keys);
        StoreFiles.ShouldAllPassIntegrityCheck(store.Location);
    }

    [Fact]
    public void An_erased_subjects_fields_stay_unreadable_after_a_backup_and_restore_while_others_stay_intact()
    {
        var (store, vars) = NewStoreAndRepository();
        Run(store, """
            Write-ForgeLog -Store $store -KeyFile $key -Topic app/users -Message 'alice signed up' -Subject alice -Metadata @{ email = 'alice@example.com'; plan = 'pro' } -SensitiveField email
            Write-ForgeLog -Store $store -KeyFile $key -Topic app/users -Message 'bob signed up' -Subject bob -Metadata @{ email = 'bob@example.com'; plan = 'free' } -SensitiveField email
            Send-ForgeEvent -Store $store -KeyFile $key -Topic users/created -Payload '{}' -Subject alice -Metadata @{ phone = '555-0100' } -SensitiveField phone
            """, vars).ShouldSucceed();
        Run(store, Backup, vars).ShouldSucceed();

        var whatIf = Run(store, "Remove-ForgeSubjectKey -Store $store -KeyFile $key -Subject alice -WhatIf", vars).ShouldSucceed();
        Assert.Empty(whatIf.Output);
        Assert.Equal("alice", Entry(store, vars, "alice signed up").Get<string>("Subject"));

        var erasures = Run(store, "Remove-ForgeSubjectKey -Store $store -KeyFile $key -Subject alice, nobody -Confirm:$false", vars).ShouldSucceed().Output;
        Run(store, Restore + " -Target All", vars).ShouldSucceed();

        Assert.Equal(["SubjectErasure", "SubjectErasure"], erasures.Select(e => e.TypeName()));
        Assert.Equal([true, false], erasures.Select(e => e.Get<bool>("Removed")));
        var alice = Entry(store, vars, "alice signed up");
        Assert.True(alice.Get<bool>("SubjectErased"));
        Assert.Null(alice.Get("Subject"));
        var aliceFields = alice.Get<IReadOnlyDictionary<string, string>>("Metadata");
        Assert.False(aliceFields.ContainsKey("email"));
        Assert.Equal("pro", aliceFields["plan"]);
        var bob = Entry(store, vars, "bob signed up");
        Assert.False(bob.Get<bool>("SubjectErased"));
        Assert.Equal("bob", bob.Get<string>("Subject"));
        Assert.Equal("bob@example.com", bob.Get<IReadOnlyDictionary<string, string>>("Metadata")["email"]);
        var aliceEvent = Assert.Single(Run(store, "Get-ForgeEvent -Store $store -KeyFile $key", vars).ShouldSucceed().Output);
        Assert.True(aliceEvent.Get<bool>("SubjectErased"));
        Assert.False(aliceEvent.Get<IReadOnlyDictionary<string, string>>("Metadata").ContainsKey("phone"));
        StoreFiles.ShouldAllPassIntegrityCheck(store.Location);
    }

    [Fact]
    public void A_store_without_a_backup_in_the_repository_is_a_StoreBackupNotFound_error()
    {
        var (store, vars) = NewStoreAndRepository();

        var result = Run(store, Restore + " -Target logs", vars);

        Assert.Empty(result.Output);
        Assert.Equal(["StoreBackupNotFound,ForgeOne.Commands.RestoreForgeBackupCommand"], result.ErrorIds);
    }

    [Fact]
    public void WhatIf_restores_nothing()
    {
        var (store, vars) = NewStoreAndRepository();
        Run(store, Backup, vars).ShouldSucceed();
        var before = File.GetLastWriteTimeUtc(Path.Combine(store.Location, "system.redb"));

        var result = Run(store, "Restore-ForgeBackup -Repository $repo -KeyFile $repoKey -Store $store -StoreKeyFile $key -Target All -WhatIf", vars).ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.Empty(Directory.GetFiles(store.Location, "*.previous"));
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(store.Location, "system.redb")));
    }

    private (TestStore Store, (string, object)[] Vars) NewStoreAndRepository()
    {
        var store = new TestStore(shell).Create(logShards: 2);
        var repository = new TestRepository(shell);
        repository.Run("$null = New-ForgeRepository -Path $repo -KeyFile $key").ShouldSucceed();
        return (store, [("repo", repository.Location), ("repoKey", repository.KeyFile)]);
    }

    private static PowerShellResult Run(TestStore store, string script, (string, object)[] vars) => store.Run(script, vars);

    private static PSObject Entry(TestStore store, (string, object)[] vars, string message) =>
        Assert.Single(store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/users | Where-Object Message -eq $m", [.. vars, ("m", message)]).ShouldSucceed().Output);
}
