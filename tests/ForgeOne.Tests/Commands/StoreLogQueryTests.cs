using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Get-ForgeLog.</summary>
public sealed class StoreLogQueryTests(ModuleFixture shell) : IClassFixture<ModuleFixture>, IDisposable
{
    // 600 entries over three topics and four shards, one a second from 2024-05-01, written in shuffled order.
    private readonly TestStore _store = Seed(shell);

    private static TestStore Seed(ModuleFixture shell)
    {
        var store = new TestStore(shell).Create(logShards: 4);
        store.Run("""
            $topics = 'app/auth', 'app/billing', 'infra/disk'
            $start = [DateTimeOffset]::new(2024, 5, 1, 0, 0, 0, [TimeSpan]::Zero)
            $order = 0..599 | ForEach-Object { ($_ * 397) % 600 }
            $order | ForEach-Object {
                [pscustomobject]@{
                    Topic = $topics[$_ % 3]; Message = "entry $_"; Timestamp = $start.AddSeconds($_)
                    Severity = @('Debug', 'Information', 'Warning', 'Error')[$_ % 4]
                }
            } | Write-ForgeLog -Store $store -KeyFile $key
            """).ShouldSucceed();
        return store;
    }

    private static DateTimeOffset At(int second) => new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(second);

    [Fact]
    public void A_topic_query_across_shards_returns_its_entries_in_timestamp_order()
    {
        var entries = _store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/billing").ShouldSucceed().Output;

        Assert.Equal(200, entries.Count);
        Assert.All(entries, entry => Assert.Equal("app/billing", entry.Get<string>("Topic")));
        Assert.True(entries.Select(entry => entry.Get<int>("Shard")).Distinct().Count() > 1, "the entries come from several shards");
        var times = entries.Select(entry => entry.Get<DateTimeOffset>("Timestamp")).ToList();
        Assert.Equal(Enumerable.Range(0, 600).Where(i => i % 3 == 1).Select(At), times);
    }

    [Fact]
    public void Without_a_topic_every_entry_comes_back_in_timestamp_order()
    {
        var messages = _store.Run("Get-ForgeLog -Store $store -KeyFile $key | ForEach-Object Message").ShouldSucceed().BaseObjects.Cast<string>();

        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"entry {i}"), messages);
    }

    [Fact]
    public void From_To_and_MinimumSeverity_narrow_the_result()
    {
        var entries = _store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/auth -From $from -To $to -MinimumSeverity Warning",
            ("from", At(60)), ("to", At(120))).ShouldSucceed().Output;

        var expected = Enumerable.Range(60, 60).Where(i => i % 3 == 0 && i % 4 >= 2).Select(i => $"entry {i}");
        Assert.Equal(expected, entries.Select(entry => entry.Get<string>("Message")));
    }

    [Fact]
    public void First_and_After_read_consecutive_pages_without_gaps_or_repeats()
    {
        var first = _store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic infra/disk -First 70").ShouldSucceed().Output;
        var second = _store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic infra/disk -After $after",
            ("after", first[^1].Get<string>("ContinuationToken"))).ShouldSucceed().Output;

        Assert.Equal(70, first.Count);
        Assert.Equal(130, second.Count);
        Assert.Equal(Enumerable.Range(0, 600).Where(i => i % 3 == 2).Select(i => $"entry {i}"),
            first.Concat(second).Select(entry => entry.Get<string>("Message")));
    }

    [Fact]
    public void A_malformed_continuation_token_is_an_InvalidArgument_error()
    {
        var result = _store.Run("Get-ForgeLog -Store $store -KeyFile $key -After 'not-a-token'");

        Assert.Empty(result.Output);
        Assert.Equal(["InvalidArgument,ForgeOne.Commands.GetForgeLogCommand"], result.ErrorIds);
    }

    [Fact]
    public void A_malformed_topic_is_an_error_naming_the_Topic_field()
    {
        var result = _store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic 'bad topic!'");

        Assert.Equal(["StoreValidationFailed,ForgeOne.Commands.GetForgeLogCommand"], result.ErrorIds);
        Assert.Equal("Topic", (string)((dynamic)result.Errors[0].Exception).Field);
    }

    [Fact]
    public void A_topic_with_no_entries_returns_nothing()
    {
        var result = _store.Run("Get-ForgeLog -Store $store -KeyFile $key -Topic app/none").ShouldSucceed();

        Assert.Empty(result.Output);
    }

    public void Dispose()
    {
    }
}
