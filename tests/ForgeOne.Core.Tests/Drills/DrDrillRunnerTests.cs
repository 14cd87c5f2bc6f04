using ForgeOne.Core.Drills;
using ForgeOne.Core.Store.Backup;
using ForgeOne.Core.Tests.Backup;
using ForgeOne.Core.Tests.Repository;
using ForgeOne.Core.Tests.Store;

namespace ForgeOne.Core.Tests.Drills;

public sealed class DrDrillRunnerTests
{
    [Fact]
    public async Task A_drill_within_its_objectives_passes_removes_its_scratch_and_is_recorded()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var scratch = Path.Join(context.TempPath, "drill");
        string? seen = null;

        var result = await DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions
        {
            Scratch = scratch,
            RtoObjective = TimeSpan.FromHours(8),
            RpoObjective = TimeSpan.FromHours(24),
            Validation = (path, _) =>
            {
                seen = File.ReadAllText(Path.Join(path, "data", "plain.txt"));
                return Task.FromResult((true, "plain.txt is there"));
            },
        }, null, CancellationToken.None);

        Assert.True(result.Passed, string.Join("; ", result.Failures.Select(check => $"{check.Name}: {check.Detail}")));
        Assert.Equal(snapshot.Id, result.SnapshotId);
        Assert.Equal(snapshot.DnaHash, result.DnaHash);
        Assert.Equal(["restore", "dna", "validation", "rto", "rpo"], result.Checks.Select(check => check.Name));
        Assert.NotNull(seen);
        Assert.False(Directory.Exists(scratch));
        Assert.Equal(result.Id, Assert.Single(await DrDrillRunner.ListAsync(context.Repository, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_drill_fails_on_each_objective_and_on_a_failing_validation_naming_the_check()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        await context.BackupAsync();

        var rto = await DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions { RtoObjective = TimeSpan.FromTicks(1) }, null, CancellationToken.None);
        var rpo = await DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions { RpoObjective = TimeSpan.FromTicks(1) }, null, CancellationToken.None);
        var validation = await DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions
        {
            Validation = (_, _) => throw new InvalidOperationException("row count 0, expected 1200"),
        }, null, CancellationToken.None);

        Assert.Equal("rto", Assert.Single(rto.Failures).Name);
        Assert.Equal("rpo", Assert.Single(rpo.Failures).Name);
        var failed = Assert.Single(validation.Failures);
        Assert.Equal("validation", failed.Name);
        Assert.Contains("row count 0", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(3, (await DrDrillRunner.ListAsync(context.Repository, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_drill_of_a_store_backup_checks_every_database_integrity_and_logical_dna()
    {
        using var store = new StoreTestContext();
        using var repositoryContext = new RepositoryTestContext();
        await using var repository = await repositoryContext.InitAsync();
        using (var opened = store.Create(logShards: 2))
        {
            opened.Logs.Write(StoreTestContext.SampleLogs(500, DateTimeOffset.UtcNow.AddHours(-1)));
            await StoreBackupRunner.RunAsync(opened, repository, null, null, CancellationToken.None);
        }

        using var credentials = StoreTestContext.Credentials();
        var result = await DrDrillRunner.RunAsync(repository, new DrDrillOptions { StoreCredentials = credentials }, null, CancellationToken.None);

        Assert.True(result.Passed, string.Join("; ", result.Failures.Select(check => $"{check.Name}: {check.Detail}")));
        Assert.Contains(result.Checks, check => check.Name == "integrity logs_shard_1.redb");
        Assert.Contains(result.Checks, check => check.Name == "logical dna system.redb");
    }

    [Fact]
    public async Task A_non_empty_scratch_folder_is_refused()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        await context.BackupAsync();
        var scratch = Path.Join(context.TempPath, "busy");
        Directory.CreateDirectory(scratch);
        File.WriteAllText(Path.Join(scratch, "keep.txt"), "mine");

        await Assert.ThrowsAsync<ArgumentException>(() => DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions { Scratch = scratch }, null, CancellationToken.None));
        Assert.True(File.Exists(Path.Join(scratch, "keep.txt")));
    }
}
