using System.Text.Json;
using ForgeOne.Core.Repository.Locking;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Repository.Locking;

/// <summary>A held lock: release, refresh by writing a new object, and losing the lock.</summary>
public sealed class RepositoryLockTests : IDisposable
{
    private readonly LockTestRepository _repository = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public async Task Dispose_removes_the_lock_object()
    {
        var manager = _repository.CreateManager(time: _time);
        var held = await manager.AcquireAsync(exclusive: true, "prune");
        Assert.Equal([held.Id], await _repository.LockIdsAsync());

        await held.DisposeAsync();

        Assert.Empty(await _repository.LockIdsAsync());
        Assert.Equal(0, _time.PendingTimers);
        await held.DisposeAsync();
        await using var next = await manager.AcquireAsync(exclusive: true, "prune");
    }

    [Fact]
    public async Task Info_describes_the_held_lock()
    {
        await using var held = await _repository.CreateManager(time: _time).AcquireAsync(exclusive: false, "restore");

        var info = held.Info;

        Assert.Equal((held.Id, "restore", false, Environment.ProcessId), (info.Id, info.Operation, info.Exclusive, info.ProcessId));
        Assert.Equal(_time.GetUtcNow(), info.Created);
        Assert.Equal(_time.GetUtcNow(), info.Refreshed);
        Assert.False(info.IsStale);
        Assert.False(held.IsLost);
        held.ThrowIfLost();
    }

    [Fact]
    public async Task Refresh_writes_a_new_object_and_deletes_the_old_one()
    {
        var created = _time.GetUtcNow();
        await using var held = await _repository.CreateManager(time: _time).AcquireAsync(exclusive: false, "backup");
        var oldId = held.Id;
        _time.SetUtcNow(created + TimeSpan.FromMinutes(5));

        await held.RefreshAsync(CancellationToken.None);

        Assert.NotEqual(oldId, held.Id);
        Assert.Equal([held.Id], await _repository.LockIdsAsync());
        using var json = JsonDocument.Parse(await _repository.ReadJsonAsync(held.Id));
        Assert.Equal("2026-11-24T10:00:00Z", json.RootElement.GetProperty("created").GetString());
        Assert.Equal("2026-11-24T10:05:00Z", json.RootElement.GetProperty("refreshed").GetString());
        Assert.Equal(created + TimeSpan.FromMinutes(5), held.Info.Refreshed);
        Assert.Equal(created, held.Info.Created);
    }

    [Fact]
    public async Task The_lock_refreshes_itself_every_interval_and_stays_fresh_for_others()
    {
        var manager = _repository.CreateManager(time: _time);
        await using var held = await manager.AcquireAsync(exclusive: true, "prune");

        for (var round = 1; round <= 3; round++)
        {
            var before = held.Id;
            await LockTestRepository.WaitUntilAsync(() => _time.PendingTimers == 1, "the refresh timer is set");
            _time.Advance(TimeSpan.FromMinutes(4));
            Assert.Equal(before, held.Id);
            _time.Advance(TimeSpan.FromMinutes(1));
            await LockTestRepository.WaitUntilAsync(() => held.Id != before, $"refresh {round} happened");
            await LockTestRepository.WaitUntilAsync(() => _time.PendingTimers == 1, "the old object is deleted");
            Assert.Equal([held.Id], await _repository.LockIdsAsync());
        }

        // 15 minutes after it was taken, another process (whose clock is 20 minutes further) does not see it stale.
        var later = _repository.CreateManager(time: new ManualTimeProvider(_time.GetUtcNow() + TimeSpan.FromMinutes(20)));
        Assert.False(Assert.Single(await later.ListAsync()).IsStale);
    }

    [Fact]
    public async Task A_lock_removed_by_another_process_is_lost_at_the_next_refresh_and_not_recreated()
    {
        var manager = _repository.CreateManager(time: _time);
        await using var held = await manager.AcquireAsync(exclusive: false, "backup");
        var lostSignalled = false;
        using var registration = held.LostToken.Register(() => lostSignalled = true);

        Assert.Equal(1, await manager.RemoveAllAsync());
        _time.SetUtcNow(_time.GetUtcNow() + TimeSpan.FromMinutes(5));
        await held.RefreshAsync(CancellationToken.None);

        Assert.True(held.IsLost);
        Assert.True(lostSignalled);
        Assert.True(held.LostToken.IsCancellationRequested);
        var ex = Assert.Throws<RepositoryLockLostException>(held.ThrowIfLost);
        Assert.True(ex.IsTransient);
        Assert.Contains("was removed by another process", ex.Message);
        Assert.Contains(_repository.Backend.Location, ex.Message);
        Assert.Empty(await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task A_failed_refresh_is_retried_and_the_left_behind_object_is_deleted_later()
    {
        var backend = new HookedBackend(_repository.Backend);
        await using var held = await _repository.CreateManager(time: _time, backend: backend).AcquireAsync(false, "backup");
        var first = held.Id;

        backend.FailWrites = true;
        _time.SetUtcNow(_time.GetUtcNow() + TimeSpan.FromMinutes(5));
        await held.RefreshAsync(CancellationToken.None);
        Assert.Equal((first, 1, false), (held.Id, held.FailedRefreshes, held.IsLost));

        backend.FailWrites = false;
        backend.FailDeletes = true;
        _time.SetUtcNow(_time.GetUtcNow() + TimeSpan.FromMinutes(5));
        await held.RefreshAsync(CancellationToken.None);
        var second = held.Id;
        Assert.Equal((0, false), (held.FailedRefreshes, held.IsLost));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), await _repository.LockIdsAsync());

        backend.FailDeletes = false;
        _time.SetUtcNow(_time.GetUtcNow() + TimeSpan.FromMinutes(5));
        await held.RefreshAsync(CancellationToken.None);
        Assert.Equal([held.Id], await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task Refreshes_failing_until_the_lock_would_turn_stale_lose_it()
    {
        var backend = new HookedBackend(_repository.Backend);
        var taken = _time.GetUtcNow();
        await using var held = await _repository.CreateManager(time: _time, backend: backend).AcquireAsync(true, "prune");
        backend.FailWrites = true;

        for (var minutes = 5; minutes <= 20; minutes += 5)
        {
            _time.SetUtcNow(taken + TimeSpan.FromMinutes(minutes));
            await held.RefreshAsync(CancellationToken.None);
            Assert.False(held.IsLost, $"Lost after {minutes} minutes.");
        }

        _time.SetUtcNow(taken + TimeSpan.FromMinutes(25));
        await held.RefreshAsync(CancellationToken.None);

        Assert.True(held.IsLost);
        Assert.Equal(5, held.FailedRefreshes);
        var ex = Assert.Throws<RepositoryLockLostException>(held.ThrowIfLost);
        Assert.IsType<StorageException>(ex.InnerException);
        Assert.Contains("could not be refreshed for 25m 0s (5 attempts failed", ex.Message);

        // Lost is final: a working storage does not bring it back, and release still removes the object.
        backend.FailWrites = false;
        await held.RefreshAsync(CancellationToken.None);
        Assert.True(held.IsLost);
        await held.ReleaseAsync();
        Assert.Empty(await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task ReleaseAsync_reports_a_failed_delete_and_a_later_call_retries_it()
    {
        var backend = new HookedBackend(_repository.Backend);
        await using var held = await _repository.CreateManager(time: _time, backend: backend).AcquireAsync(false, "check");
        backend.FailDeletes = true;

        await Assert.ThrowsAsync<StorageException>(() => held.ReleaseAsync());
        Assert.Equal([held.Id], await _repository.LockIdsAsync());

        backend.FailDeletes = false;
        await held.ReleaseAsync();
        Assert.Empty(await _repository.LockIdsAsync());
    }

    [Fact]
    public async Task DisposeAsync_does_not_throw_when_the_delete_fails()
    {
        var backend = new HookedBackend(_repository.Backend);
        var held = await _repository.CreateManager(time: _time, backend: backend).AcquireAsync(false, "check");
        backend.FailDeletes = true;

        await held.DisposeAsync();

        Assert.Equal([held.Id], await _repository.LockIdsAsync());
    }
}
