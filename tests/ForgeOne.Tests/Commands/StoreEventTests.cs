using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Send-ForgeEvent, Get-ForgeEvent and Set-ForgeCheckpoint.</summary>
public sealed class StoreEventTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private const string CreateStore = "$null = New-ForgeStore -Path $store -KeyFile $key -EventShards 3";

    [Fact]
    public void Events_piped_in_out_of_order_are_read_back_across_shards_in_timestamp_order()
    {
        var store = new TestStore(shell);
        store.Run(CreateStore).ShouldSucceed();

        store.Run("""
            $base = [DateTimeOffset]::new(2025, 3, 1, 0, 0, 0, [TimeSpan]::Zero)
            $(foreach ($i in 1..300) {
                $n = ($i * 7919) % 300
                [pscustomobject]@{ Topic = 'orders/created'; Payload = "{""n"":$n}"; Timestamp = $base.AddSeconds($n) }
            }) | Send-ForgeEvent -Store $store -KeyFile $key
            """).ShouldSucceed();

        var events = store.Run("Get-ForgeEvent -Store $store -KeyFile $key -Topic orders/created").ShouldSucceed().Output;
        Assert.Equal(300, events.Count);
        Assert.Equal("EventMessage", events[0].TypeName());
        Assert.Equal(Enumerable.Range(0, 300).Select(n => $"{{\"n\":{n}}}"), events.Select(e => e.Get<string>("Payload")));
        var times = events.Select(e => e.Get<DateTimeOffset>("Timestamp")).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal([0, 1, 2], events.Select(e => e.Get<int>("Shard")).Distinct().Order());
    }

    [Fact]
    public void PassThru_emits_stored_events_and_MinimumPriority_filters_them()
    {
        var store = new TestStore(shell);
        store.Run(CreateStore).ShouldSucceed();

        var sent = store.Run("""
            'a', 'b' | Send-ForgeEvent -Store $store -KeyFile $key -Topic app/x -Priority Low -PassThru
            Send-ForgeEvent -Store $store -KeyFile $key -Topic app/x -Payload urgent -Priority Critical -Metadata @{ team = 'ops' } -PassThru
            """).ShouldSucceed().Output;
        var urgent = store.Run("Get-ForgeEvent -Store $store -KeyFile $key -MinimumPriority High").ShouldSucceed().Output;

        Assert.Equal(3, sent.Count);
        Assert.All(sent, e => Assert.NotEqual(0L, e.Get<long>("Id")));
        Assert.Matches(@"^\d+\.\d+$", sent[0].Get<string>("ContinuationToken"));
        var only = Assert.Single(urgent);
        Assert.Equal("urgent", only.Get<string>("Payload"));
        Assert.Equal("Critical", only.Get("Priority")!.ToString());
        Assert.Equal("ops", only.Get<IReadOnlyDictionary<string, string>>("Metadata")["team"]);
    }

    [Fact]
    public void First_and_After_page_through_events_without_repeats()
    {
        var store = new TestStore(shell);
        store.Run(CreateStore).ShouldSucceed();
        store.Run("1..25 | ForEach-Object { \"e$_\" } | Send-ForgeEvent -Store $store -KeyFile $key -Topic app/p").ShouldSucceed();

        var pages = store.Run("""
            $first = Get-ForgeEvent -Store $store -KeyFile $key -First 10
            $second = Get-ForgeEvent -Store $store -KeyFile $key -First 100 -After $first[-1].ContinuationToken
            $first.Count; $second.Count; [Linq.Enumerable]::Count([Collections.Generic.HashSet[string]]@($first + $second | ForEach-Object Payload))
            """).ShouldSucceed();

        Assert.Equal([10, 15, 25], pages.BaseObjects.Cast<int>());
    }

    [Fact]
    public void A_checkpoint_set_from_the_pipeline_makes_the_next_read_return_only_newer_events_late_ones_included()
    {
        var store = new TestStore(shell);
        store.Run(CreateStore).ShouldSucceed();
        store.Run("1..10 | ForEach-Object { \"p$_\" } | Send-ForgeEvent -Store $store -KeyFile $key -Topic jobs/run").ShouldSucceed();

        var first = store.Run("Get-ForgeEvent -Store $store -KeyFile $key -AfterCheckpoint worker -First 4").ShouldSucceed().Output;
        var checkpoint = Assert.Single(store.Run("$batch | Set-ForgeCheckpoint -Store $store -KeyFile $key -Consumer worker", ("batch", first)).ShouldSucceed().Output);
        var rest = store.Run("Get-ForgeEvent -Store $store -KeyFile $key -AfterCheckpoint worker").ShouldSucceed().Output;
        store.Run("Send-ForgeEvent -Store $store -KeyFile $key -Topic jobs/run -Payload late -Timestamp '2020-01-01T00:00:00Z'").ShouldSucceed();
        var afterLate = store.Run("Get-ForgeEvent -Store $store -KeyFile $key -AfterCheckpoint worker").ShouldSucceed().Output;
        var fresh = store.Run("Get-ForgeEvent -Store $store -KeyFile $key -AfterCheckpoint newcomer").ShouldSucceed().Output;

        Assert.Equal("ConsumerCheckpoint", checkpoint.TypeName());
        Assert.Equal("worker", checkpoint.Get<string>("Consumer"));
        var consumed = first.Select(e => e.Get<string>("Payload")).ToHashSet();
        Assert.Equal(4, consumed.Count);
        var remaining = rest.Select(e => e.Get<string>("Payload")).ToList();
        Assert.Equal(6, remaining.Count);
        Assert.Empty(remaining.Intersect(consumed));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"p{i}").Order(), consumed.Concat(remaining).Order());
        Assert.Equal([.. remaining, "late"], afterLate.Select(e => e.Get<string>("Payload")));
        Assert.Equal(11, fresh.Count);
    }

    [Fact]
    public void Log_entries_piped_to_Set_ForgeCheckpoint_move_the_log_checkpoint()
    {
        var store = new TestStore(shell).Create(logShards: 2);
        store.Run("1..5 | ForEach-Object { \"m$_\" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/l").ShouldSucceed();

        var checkpoint = Assert.Single(store.Run("Get-ForgeLog -Store $store -KeyFile $key | Set-ForgeCheckpoint -Store $store -KeyFile $key -Consumer shipper").ShouldSucceed().Output);

        Assert.Equal("shipper", checkpoint.Get<string>("Consumer"));
        var positions = (System.Collections.IEnumerable)checkpoint.Get("Positions")!;
        Assert.NotEmpty(positions.Cast<object>());
    }

    [Fact]
    public void Objects_that_are_not_events_or_entries_are_errors_and_move_nothing()
    {
        var store = new TestStore(shell).Create(logShards: 1);

        var result = store.Run("'not an event' | Set-ForgeCheckpoint -Store $store -KeyFile $key -Consumer c");

        Assert.Empty(result.Output);
        Assert.Equal(["InvalidInputObject,ForgeOne.Commands.SetForgeCheckpointCommand"], result.ErrorIds);
    }

    [Fact]
    public void An_event_without_a_topic_is_a_validation_error_and_the_rest_are_sent()
    {
        var store = new TestStore(shell);
        store.Run(CreateStore).ShouldSucceed();

        var result = store.Run("""
            @(
                [pscustomobject]@{ Topic = 'app/ok'; Payload = 'one' }
                [pscustomobject]@{ Payload = 'no topic' }
                [pscustomobject]@{ Topic = 'app/ok'; Payload = 'two' }
            ) | Send-ForgeEvent -Store $store -KeyFile $key
            """);

        Assert.Equal(["StoreValidationFailed,ForgeOne.Commands.SendForgeEventCommand"], result.ErrorIds);
        Assert.Equal("Topic", (string)((dynamic)result.Errors[0].Exception).Field);
        var stored = store.Run("Get-ForgeEvent -Store $store -KeyFile $key | ForEach-Object Payload").ShouldSucceed().BaseObjects.Cast<string>();
        Assert.Equal(["one", "two"], stored.Order(StringComparer.Ordinal));
    }
}
