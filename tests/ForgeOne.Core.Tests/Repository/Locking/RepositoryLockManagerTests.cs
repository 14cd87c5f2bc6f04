using System.Diagnostics;
using System.Text.Json;
using ForgeOne.Core.Repository.Locking;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Repository.Locking;

/// <summary>Taking, listing and removing locks: conflicts, staleness, unreadable locks and the race check.</summary>
public sealed class RepositoryLockManagerTests : IDisposable
{
    private readonly LockTestRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public async Task Two_shared_locks_coexist()
    {
        var manager = _repository.CreateManager();

        await using var backup = await manager.AcquireAsync(exclusive: false, "backup");
        await using var check = await manager.AcquireAsync(exclusive: false, "check");

        Assert.Equal(new[] { backup.Id, check.Id }.Order(StringComparer.Ordinal), await _repository.LockIdsAsync());
        var listed = await manager.ListAsync();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, info => Assert.False(info.Exclusive));
    }

    [Fact]
    public async Task Exclusive_is_blocked_by_a_shared_lock_and_the_exception_lists_the_holder()
    {
        var manager = _repository.CreateManager();
        await using var backup = await manager.AcquireAsync(exclusive: false, "backup");

        var ex = await Assert.ThrowsAsync<RepositoryLockedException>(() => manager.AcquireAsync(exclusive: true, "prune"));

        Assert.True(ex.IsTransient);
        Assert.False(ex.Concurrent);
        var holder = Assert.Single(ex.Holders);
        Assert.Equal(backup.Id, holder.Id);
        Assert.Equal(Environment.MachineName, holder.Host);
        Assert.Equal(Environment.UserName, holder.User);
        Assert.Equal(Environment.ProcessId, holder.ProcessId);
        Assert.Equal("backup", holder.Operation);
        Assert.False(holder.IsStale);
        Assert.Contains(_repository.Backend.Location, ex.Message);
        Assert.Contains($"lock {backup.Id[..8]} (shared, backup) by {Environment.UserName} on {Environment.MachineName}, " +
            $"process {Environment.ProcessId}, created 0s ago", ex.Message);
        Assert.DoesNotContain("unlock", ex.Message);
        Assert.Equal([backup.Id], await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task Shared_is_blocked_by_an_exclusive_lock()
    {
        var manager = _repository.CreateManager();
        await using var prune = await manager.AcquireAsync(exclusive: true, "prune");

        var ex = await Assert.ThrowsAsync<RepositoryLockedException>(() => manager.AcquireAsync(exclusive: false, "backup"));

        Assert.Equal(prune.Id, Assert.Single(ex.Holders).Id);
        Assert.Contains("(exclusive, prune)", ex.Message);
        Assert.Equal([prune.Id], await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task Exclusive_is_blocked_by_an_exclusive_lock_of_another_host()
    {
        var other = await _repository.PlantAsync(exclusive: true, operation: "prune", pid: 77, user: "bob");
        var manager = _repository.CreateManager();

        var ex = await Assert.ThrowsAsync<RepositoryLockedException>(() => manager.AcquireAsync(exclusive: true, "prune"));

        var holder = Assert.Single(ex.Holders);
        Assert.Equal((other, LockTestRepository.OtherHost, "bob", 77, true), (holder.Id, holder.Host, holder.User, holder.ProcessId, holder.Exclusive));
        Assert.Contains($"by bob on {LockTestRepository.OtherHost}, process 77, created 1m 0s ago", ex.Message);
    }

    [Fact]
    public async Task A_lock_of_a_dead_process_on_this_host_is_stale_with_the_unlock_command_and_blocks_exclusive()
    {
        var deadPid = LockTestRepository.DeadProcessId();
        var dead = await _repository.PlantAsync(host: Environment.MachineName, pid: deadPid, exclusive: false);
        var manager = _repository.CreateManager();

        var info = Assert.Single(await manager.ListAsync());
        Assert.True(info.IsStale);
        Assert.Equal($"process {deadPid} is no longer running on {Environment.MachineName}", info.StaleReason);

        var ex = await Assert.ThrowsAsync<RepositoryLockedException>(() => manager.AcquireAsync(exclusive: true, "prune"));
        Assert.Equal(dead, Assert.Single(ex.Holders).Id);
        Assert.Contains($"STALE: process {deadPid} is no longer running", ex.Message);
        Assert.Contains($"Run `forge repo unlock --repo {_repository.Backend.Location}` or `Unlock-ForgeRepository` " +
            "to remove stale locks.", ex.Message);
        Assert.Equal([dead], await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task A_stale_shared_lock_does_not_block_a_shared_lock()
    {
        var dead = await _repository.PlantAsync(host: Environment.MachineName, pid: LockTestRepository.DeadProcessId());
        var manager = _repository.CreateManager();

        await using var backup = await manager.AcquireAsync(exclusive: false, "backup");

        Assert.Equal(new[] { dead, backup.Id }.Order(StringComparer.Ordinal), await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task A_stale_exclusive_lock_still_blocks_a_shared_lock_and_is_reported_stale()
    {
        var dead = await _repository.PlantAsync(host: Environment.MachineName, pid: LockTestRepository.DeadProcessId(),
            exclusive: true, operation: "prune");
        var manager = _repository.CreateManager();

        var ex = await Assert.ThrowsAsync<RepositoryLockedException>(() => manager.AcquireAsync(exclusive: false, "backup"));

        var holder = Assert.Single(ex.Holders);
        Assert.Equal(dead, holder.Id);
        Assert.True(holder.IsStale);
        Assert.Contains("forge repo unlock --repo", ex.Message);
        Assert.DoesNotContain("Wait for", ex.Message);
        Assert.Equal([dead], await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task RemoveStale_removes_a_dead_process_lock_and_keeps_live_and_foreign_locks()
    {
        var manager = _repository.CreateManager();
        await using var live = await manager.AcquireAsync(exclusive: false, "backup");
        var dead = await _repository.PlantAsync(host: Environment.MachineName, pid: LockTestRepository.DeadProcessId(),
            exclusive: true);
        var foreign = await _repository.PlantAsync(pid: 1);

        Assert.Equal(1, await manager.RemoveStaleAsync());

        Assert.Equal(new[] { foreign, live.Id }.Order(StringComparer.Ordinal), await _repository.LockIdsAsync());
        Assert.DoesNotContain(dead, await _repository.LockIdsAsync());
        Assert.Equal(0, await manager.RemoveStaleAsync());
    }

    [Fact]
    public async Task A_lock_not_refreshed_for_longer_than_StaleAfter_is_stale_whatever_its_host()
    {
        var time = new ManualTimeProvider();
        var writer = _repository.CreateManager(time: time);
        await using var held = await writer.AcquireAsync(exclusive: true, "prune");
        var foreign = await _repository.PlantAsync(refreshed: time.GetUtcNow());

        var justBefore = _repository.CreateManager(time: new ManualTimeProvider(time.GetUtcNow() + TimeSpan.FromMinutes(30)));
        Assert.All(await justBefore.ListAsync(), info => Assert.False(info.IsStale));

        var after = _repository.CreateManager(time: new ManualTimeProvider(time.GetUtcNow() + TimeSpan.FromMinutes(31)));
        var listed = await after.ListAsync();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, info =>
        {
            Assert.True(info.IsStale);
            Assert.Equal("not refreshed for 31m 0s, longer than 30m 0s", info.StaleReason);
        });
        Assert.Contains(listed, info => info.Id == foreign);
        Assert.Contains(listed, info => info.Id == held.Id);
    }

    [Fact]
    public async Task StaleAfter_comes_from_the_options()
    {
        var time = new ManualTimeProvider();
        await _repository.PlantAsync(refreshed: time.GetUtcNow() - TimeSpan.FromMinutes(3));
        var options = new RepositoryLockOptions { StaleAfter = TimeSpan.FromMinutes(2), RefreshInterval = TimeSpan.FromSeconds(20) };

        var info = Assert.Single(await _repository.CreateManager(options, time).ListAsync());

        Assert.True(info.IsStale);
        Assert.Equal("not refreshed for 3m 0s, longer than 2m 0s", info.StaleReason);
    }

    [Fact]
    public async Task A_running_process_id_with_another_start_time_is_a_reused_id_and_stale()
    {
        using var self = Process.GetCurrentProcess();
        var start = new DateTimeOffset(self.StartTime).ToUniversalTime();
        var reused = await _repository.PlantAsync(host: Environment.MachineName, pid: Environment.ProcessId,
            processStart: start - TimeSpan.FromHours(1));
        var same = await _repository.PlantAsync(host: Environment.MachineName, pid: Environment.ProcessId, processStart: start);
        var unknownStart = await _repository.PlantAsync(host: Environment.MachineName, pid: Environment.ProcessId);

        var listed = (await _repository.CreateManager().ListAsync()).ToDictionary(info => info.Id);

        Assert.True(listed[reused].IsStale);
        Assert.Contains($"process {Environment.ProcessId} on {Environment.MachineName} is a different process", listed[reused].StaleReason);
        Assert.False(listed[same].IsStale);
        Assert.False(listed[unknownStart].IsStale);
    }

    [Fact]
    public async Task Host_names_are_compared_without_case()
    {
        var deadPid = LockTestRepository.DeadProcessId();
        await _repository.PlantAsync(host: Environment.MachineName.ToLowerInvariant(), pid: deadPid);

        Assert.True(Assert.Single(await _repository.CreateManager().ListAsync()).IsStale);
    }

    [Fact]
    public async Task A_tampered_lock_is_treated_as_held_exclusively_and_reported()
    {
        var manager = _repository.CreateManager();
        var tampered = await _repository.PlantAsync();
        var bytes = await File.ReadAllBytesAsync(_repository.FilePath(tampered));
        bytes[^1] ^= 1;
        File.Delete(_repository.FilePath(tampered));
        await File.WriteAllBytesAsync(_repository.FilePath(tampered), bytes);

        var info = Assert.Single(await manager.ListAsync());
        Assert.Equal(tampered, info.Id);
        Assert.True(info.Exclusive);
        Assert.False(info.IsStale);
        Assert.Contains("failed authentication", info.Problem);

        var ex = await Assert.ThrowsAsync<RepositoryLockedException>(() => manager.AcquireAsync(exclusive: false, "backup"));
        Assert.Equal(tampered, Assert.Single(ex.Holders).Id);
        Assert.IsType<ObjectAuthenticationException>(ex.InnerException);
        Assert.Contains($"lock {tampered[..8]} could not be read (it failed authentication", ex.Message);
        Assert.Contains("treated as held", ex.Message);
        Assert.Contains($"forge repo unlock --remove-all --repo {_repository.Backend.Location}", ex.Message);
        Assert.Contains("Unlock-ForgeRepository -RemoveAll", ex.Message);

        Assert.Equal(0, await manager.RemoveStaleAsync());
        Assert.Equal([tampered], await _repository.LockIdsAsync());
        Assert.Equal(1, await manager.RemoveAllAsync());
        Assert.Empty(await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task A_lock_renamed_to_another_id_fails_authentication()
    {
        var original = await _repository.PlantAsync();
        var renamed = new string('a', 64);
        File.Move(_repository.FilePath(original), _repository.FilePath(renamed));

        var info = Assert.Single(await _repository.CreateManager().ListAsync());

        Assert.Equal(renamed, info.Id);
        Assert.Contains("failed authentication", info.Problem);
    }

    [Fact]
    public async Task A_lock_sealed_under_another_key_is_unreadable()
    {
        using var otherKey = MasterKey.Generate();
        using var otherSealer = otherKey.CreateSealer(KeyPurpose.DataEncryption);
        var id = new string('b', 64);
        await _repository.WriteSealedAsync(id, otherSealer,
            LockTestRepository.LockJson("h", "u", 1, null, false, "backup", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));

        var info = Assert.Single(await _repository.CreateManager().ListAsync());

        Assert.Contains("another repository's key", info.Problem);
    }

    [Theory]
    [InlineData("{\"version\":2}", "it uses lock version 2")]
    [InlineData("not json", "it is malformed: it is not valid JSON")]
    [InlineData("[]", "it is malformed: it is not a JSON object")]
    [InlineData("{\"version\":1,\"host\":\"h\"}", "it is malformed: field \"pid\" is missing")]
    public async Task An_authentic_lock_that_does_not_parse_is_unreadable(string json, string problem)
    {
        await _repository.PlantAsync(json);

        var info = Assert.Single(await _repository.CreateManager().ListAsync());

        Assert.StartsWith(problem, info.Problem);
        Assert.True(info.Exclusive);
    }

    [Fact]
    public async Task Objects_under_locks_that_are_not_lock_ids_are_ignored()
    {
        await _repository.Backend.WriteOnceAsync("locks/.DS_Store", new byte[] { 1 });
        await _repository.Backend.WriteOnceAsync("locks/" + new string('A', 64), new byte[] { 1 });
        var manager = _repository.CreateManager();

        Assert.Empty(await manager.ListAsync());
        await using (await manager.AcquireAsync(exclusive: true, "prune"))
        {
        }

        Assert.Equal(0, await manager.RemoveAllAsync());
    }

    [Fact]
    public async Task The_lock_object_is_sealed_json_with_the_documented_fields()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        var manager = _repository.CreateManager(time: time);

        await using var held = await manager.AcquireAsync(exclusive: true, "prune");

        Assert.Matches("^[0-9a-f]{64}$", held.Id);
        using var json = JsonDocument.Parse(await _repository.ReadJsonAsync(held.Id));
        var root = json.RootElement;
        Assert.Equal(
            ["version", "host", "user", "pid", "processStart", "exclusive", "operation", "created", "refreshed"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(Environment.MachineName, root.GetProperty("host").GetString());
        Assert.Equal(Environment.UserName, root.GetProperty("user").GetString());
        Assert.Equal(Environment.ProcessId, root.GetProperty("pid").GetInt32());
        Assert.True(root.GetProperty("exclusive").GetBoolean());
        Assert.Equal("prune", root.GetProperty("operation").GetString());
        Assert.Equal("2026-11-24T10:00:00Z", root.GetProperty("created").GetString());
        Assert.Equal("2026-11-24T10:00:00Z", root.GetProperty("refreshed").GetString());
        using var self = Process.GetCurrentProcess();
        var start = DateTimeOffset.Parse(root.GetProperty("processStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((start - new DateTimeOffset(self.StartTime)).Duration() < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ListAsync_returns_locks_oldest_first_and_unreadable_ones_last()
    {
        var now = DateTimeOffset.UtcNow;
        var unreadable = await _repository.PlantAsync("{}");
        var newer = await _repository.PlantAsync(refreshed: now);
        var older = await _repository.PlantAsync(refreshed: now - TimeSpan.FromMinutes(5));

        var listed = await _repository.CreateManager().ListAsync();

        Assert.Equal([older, newer, unreadable], listed.Select(info => info.Id));
    }

    [Fact]
    public async Task RemoveAll_removes_live_stale_and_unreadable_locks()
    {
        var manager = _repository.CreateManager();
        await using var live = await manager.AcquireAsync(exclusive: false, "backup");
        await _repository.PlantAsync(host: Environment.MachineName, pid: LockTestRepository.DeadProcessId());
        await _repository.PlantAsync("garbage");

        Assert.Equal(3, await manager.RemoveAllAsync());

        Assert.Empty(await _repository.LockIdsAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_acquisitions_against_an_exclusive_one_let_at_most_one_win(bool firstExclusive)
    {
        // Two managers with their own sealers, as two processes would have.
        using var otherSealer = _repository.Key.CreateSealer(KeyPurpose.DataEncryption);
        using var otherOpener = _repository.Key.CreateOpener(KeyPurpose.DataEncryption);
        var first = _repository.CreateManager();
        var second = new RepositoryLockManager(
            new LocalStorageBackend(_repository.Backend.RootDirectory), otherSealer, otherOpener);

        for (var round = 0; round < 20; round++)
        {
            using var start = new Barrier(2);
            var attempts = new[] { (first, firstExclusive), (second, true) }.Select(attempt => Task.Run(async () =>
            {
                start.SignalAndWait();
                try
                {
                    return await attempt.Item1.AcquireAsync(attempt.Item2, attempt.Item2 ? "prune" : "backup");
                }
                catch (RepositoryLockedException)
                {
                    return null;
                }
            })).ToArray();
            var held = (await Task.WhenAll(attempts)).OfType<RepositoryLock>().ToList();

            Assert.True(held.Count <= 1, $"Round {round}: {held.Count} conflicting locks were granted at once.");
            Assert.Equal(held.Select(h => h.Id), await _repository.LockIdsAsync());
            foreach (var winner in held)
            {
                await winner.DisposeAsync();
            }

            Assert.Empty(await _repository.LockIdsAsync());
        }

        // Both may back off in every round (that is allowed: retrying works); nothing is left behind either way.
        await using var alone = await first.AcquireAsync(exclusive: true, "prune");
    }

    [Fact]
    public async Task A_conflicting_lock_that_appears_during_acquisition_makes_it_back_off_and_remove_its_lock()
    {
        var backend = new HookedBackend(_repository.Backend);
        string? competitor = null;
        backend.AfterWrite = async _ =>
        {
            backend.AfterWrite = null;
            competitor = await _repository.PlantAsync(exclusive: true, operation: "prune");
        };
        var manager = _repository.CreateManager(backend: backend);

        var ex = await Assert.ThrowsAsync<RepositoryLockedException>(() => manager.AcquireAsync(exclusive: false, "backup"));

        Assert.True(ex.Concurrent);
        Assert.Equal(competitor, Assert.Single(ex.Holders).Id);
        Assert.Contains("another process took a conflicting lock at the same moment", ex.Message);
        Assert.Equal([competitor!], await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task A_shared_lock_that_appears_during_shared_acquisition_is_no_conflict()
    {
        var backend = new HookedBackend(_repository.Backend);
        backend.AfterWrite = async _ =>
        {
            backend.AfterWrite = null;
            await _repository.PlantAsync(exclusive: false);
        };

        await using var held = await _repository.CreateManager(backend: backend).AcquireAsync(exclusive: false, "backup");

        Assert.Equal(2, (await _repository.LockIdsAsync()).Count);
    }

    [Fact]
    public async Task Cancelling_during_the_race_check_leaves_no_lock_behind()
    {
        using var cancel = new CancellationTokenSource();
        var backend = new HookedBackend(_repository.Backend)
        {
            AfterWrite = _ =>
            {
                cancel.Cancel();
                return Task.CompletedTask;
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _repository.CreateManager(backend: backend).AcquireAsync(exclusive: true, "prune", cancel.Token));

        Assert.Empty(await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task A_failed_write_leaves_no_lock_and_reports_the_storage_failure()
    {
        var backend = new HookedBackend(_repository.Backend) { FailWrites = true };

        await Assert.ThrowsAsync<StorageException>(
            () => _repository.CreateManager(backend: backend).AcquireAsync(exclusive: false, "backup"));

        Assert.Empty(await _repository.LockIdsAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("back\nup")]
    public async Task An_invalid_operation_name_is_rejected(string operation) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _repository.CreateManager().AcquireAsync(false, operation));

    [Fact]
    public void Options_whose_refresh_is_not_shorter_than_staleness_are_rejected()
    {
        var options = new RepositoryLockOptions { StaleAfter = TimeSpan.FromMinutes(5), RefreshInterval = TimeSpan.FromMinutes(5) };

        var ex = Assert.Throws<ArgumentException>(() => _repository.CreateManager(options));

        Assert.Contains("must be shorter than StaleAfter", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => _repository.CreateManager(new RepositoryLockOptions { RefreshInterval = TimeSpan.Zero }));
    }
}
