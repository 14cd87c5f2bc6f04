using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class UnlockForgeRepositoryCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Removes_the_lock_of_a_process_that_died_and_keeps_a_live_one()
    {
        var (repository, stale, live) = RepositoryWithLocks();

        var result = repository.Run("Unlock-ForgeRepository -Repository $repo -KeyFile $key").ShouldSucceed();

        var removed = Assert.Single(result.Output);
        Assert.Equal("LockInfo", removed.TypeName());
        Assert.Equal(stale, removed.Get<string>("Id"));
        Assert.True(removed.Get<bool>("IsStale"));
        Assert.Contains("no longer running", removed.Get<string>("StaleReason"), StringComparison.Ordinal);
        Assert.Equal([live], LockIds(repository));
    }

    [Fact]
    public void RemoveAll_removes_live_locks_too()
    {
        var (repository, stale, live) = RepositoryWithLocks();

        var result = repository.Run("Unlock-ForgeRepository -Repository $repo -KeyFile $key -RemoveAll").ShouldSucceed();

        Assert.Equal(new[] { stale, live }.Order(), result.Output.Select(l => l.Get<string>("Id")).Order());
        Assert.Empty(LockIds(repository));
    }

    [Fact]
    public void WhatIf_removes_nothing()
    {
        var (repository, stale, live) = RepositoryWithLocks();

        var result = repository.Run("Unlock-ForgeRepository -Repository $repo -KeyFile $key -RemoveAll -WhatIf").ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.Equal(new[] { stale, live }.Order(), LockIds(repository).Order());
    }

    [Fact]
    public void Repository_without_locks_removes_nothing()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Unlock-ForgeRepository -Repository $repo -KeyFile $key").ShouldSucceed();

        Assert.Empty(result.Output);
    }

    private (TestRepository Repository, string Stale, string Live) RepositoryWithLocks()
    {
        var repository = new TestRepository(shell).Create();
        var coreObject = repository.Backup().BaseObject;
        var stale = PlantedLock.Write(coreObject, repository.Location, repository.KeyFile, PlantedLock.ExitedProcessId());
        var live = PlantedLock.Write(coreObject, repository.Location, repository.KeyFile, Environment.ProcessId);
        return (repository, stale, live);
    }

    private static List<string> LockIds(TestRepository repository)
    {
        var folder = Path.Combine(repository.Location, "locks");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>()] : [];
    }
}
