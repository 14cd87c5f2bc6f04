using System.Diagnostics;
using ForgeOne.Core.Repository.Locking;

namespace ForgeOne.Core.Tests.Repository.Locking;

/// <summary>Telling a running lock holder on this host from a dead one or from a process that reused its id.</summary>
public sealed class ProcessLivenessTests
{
    [Fact]
    public void The_current_process_is_running_with_its_recorded_start_time()
    {
        Assert.NotNull(ProcessLiveness.CurrentProcessStart);

        Assert.Equal(ProcessLiveness.Status.Running,
            ProcessLiveness.Check(Environment.ProcessId, ProcessLiveness.CurrentProcessStart, out var actual));
        Assert.NotNull(actual);
        Assert.Equal(ProcessLiveness.Status.Running, ProcessLiveness.Check(Environment.ProcessId, null, out _));
    }

    [Fact]
    public void An_exited_process_is_not_running() =>
        Assert.Equal(ProcessLiveness.Status.NotRunning,
            ProcessLiveness.Check(LockTestRepository.DeadProcessId(), null, out _));

    [Fact]
    public void A_process_with_the_id_but_another_start_time_replaced_the_holder()
    {
        var recorded = ProcessLiveness.CurrentProcessStart!.Value - TimeSpan.FromMinutes(10);

        Assert.Equal(ProcessLiveness.Status.Replaced, ProcessLiveness.Check(Environment.ProcessId, recorded, out _));
    }

    [Fact]
    public void Start_times_within_the_tolerance_are_the_same_process()
    {
        using var self = Process.GetCurrentProcess();
        var reading = new DateTimeOffset(self.StartTime).ToUniversalTime() + TimeSpan.FromSeconds(1);

        Assert.Equal(ProcessLiveness.Status.Running, ProcessLiveness.Check(Environment.ProcessId, reading, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Invalid_process_ids_are_not_running(int id) =>
        Assert.Equal(ProcessLiveness.Status.NotRunning, ProcessLiveness.Check(id, null, out _));
}
