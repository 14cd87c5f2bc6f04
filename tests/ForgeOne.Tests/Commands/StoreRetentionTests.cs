using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Set-ForgeRetentionPolicy and Invoke-ForgeRetention.</summary>
public sealed class StoreRetentionTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private const string WriteOldAndNew = """
        $old = [DateTimeOffset]::new(2020, 1, 1, 0, 0, 0, [TimeSpan]::Zero)
        1..40 | ForEach-Object { [pscustomobject]@{ Topic = 'app/r'; Message = "old $_"; Timestamp = $old.AddMinutes($_) } } | Write-ForgeLog -Store $store -KeyFile $key
        1..10 | ForEach-Object { "new $_" } | Write-ForgeLog -Store $store -KeyFile $key -Topic app/r
        1..5 | ForEach-Object { [pscustomobject]@{ Topic = 'app/e'; Payload = "old $_"; Timestamp = $old.AddMinutes($_) } } | Send-ForgeEvent -Store $store -KeyFile $key
        'fresh' | Send-ForgeEvent -Store $store -KeyFile $key -Topic app/e
        """;

    [Fact]
    public void WhatIf_lists_what_would_go_and_deletes_nothing_then_a_real_run_deletes_exactly_that()
    {
        var store = new TestStore(shell).Create(logShards: 2);
        store.Run(WriteOldAndNew).ShouldSucceed();
        var policy = Assert.Single(store.Run("Set-ForgeRetentionPolicy -Store $store -KeyFile $key -Logs 30.00:00:00 -Events ([TimeSpan]::FromDays(7))").ShouldSucceed().Output);

        var whatIf = store.Run("Invoke-ForgeRetention -Store $store -KeyFile $key -WhatIf").ShouldSucceed();
        var countAfterWhatIf = store.Run("(Get-ForgeLog -Store $store -KeyFile $key).Count").ShouldSucceed().BaseObjects.Single();
        var result = Assert.Single(store.Run("Invoke-ForgeRetention -Store $store -KeyFile $key").ShouldSucceed().Output);

        Assert.Equal("StoreRetentionPolicy", policy.TypeName());
        Assert.Equal(TimeSpan.FromDays(30), policy.Get<TimeSpan?>("Logs"));
        Assert.Equal(TimeSpan.FromDays(7), policy.Get<TimeSpan?>("Events"));
        Assert.Null(policy.Get("Blobs"));
        var plan = Assert.Single(whatIf.Output);
        Assert.Equal("StoreRetentionPlan", plan.TypeName());
        Assert.Equal(45L, plan.Get<long>("TotalRecords"));
        var items = plan.Items("Databases");
        Assert.All(items, item => Assert.Equal("StoreRetentionPlanItem", item.TypeName()));
        Assert.Equal(40L, items.Where(item => item.Get("Kind")!.ToString() == "Logs").Sum(item => item.Get<long>("Count")));
        Assert.Equal(5L, items.Where(item => item.Get("Kind")!.ToString() == "Events").Sum(item => item.Get<long>("Count")));
        Assert.Equal(50, countAfterWhatIf);

        Assert.Equal("StoreRetentionResult", result.TypeName());
        Assert.Equal(45L, result.Get<long>("TotalDeleted"));
        var left = store.Run("Get-ForgeLog -Store $store -KeyFile $key | ForEach-Object Message").ShouldSucceed().BaseObjects.Cast<string>();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"new {i}").Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
        Assert.Equal(["fresh"], store.Run("Get-ForgeEvent -Store $store -KeyFile $key | ForEach-Object Payload").ShouldSucceed().BaseObjects.Cast<string>());
        StoreFiles.ShouldAllPassIntegrityCheck(store.Location);
    }

    [Fact]
    public void Set_ForgeRetentionPolicy_keeps_ages_not_given_and_KeepForever_lifts_a_limit()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        store.Run("Set-ForgeRetentionPolicy -Store $store -KeyFile $key -Logs 10.00:00:00 -Blobs 90.00:00:00").ShouldSucceed();

        var policy = Assert.Single(store.Run("Set-ForgeRetentionPolicy -Store $store -KeyFile $key -Events 1.00:00:00 -KeepForever Blobs").ShouldSucceed().Output);

        Assert.Equal(TimeSpan.FromDays(10), policy.Get<TimeSpan?>("Logs"));
        Assert.Equal(TimeSpan.FromDays(1), policy.Get<TimeSpan?>("Events"));
        Assert.Null(policy.Get("Blobs"));
    }

    [Fact]
    public void A_non_positive_age_is_a_validation_error_and_the_policy_is_unchanged()
    {
        var store = new TestStore(shell).Create(logShards: 1);
        store.Run("Set-ForgeRetentionPolicy -Store $store -KeyFile $key -Logs 10.00:00:00").ShouldSucceed();

        var result = store.Run("Set-ForgeRetentionPolicy -Store $store -KeyFile $key -Logs 00:00:00");
        var plan = Assert.Single(store.Run("Invoke-ForgeRetention -Store $store -KeyFile $key -WhatIf").ShouldSucceed().Output);

        Assert.Equal(["StoreValidationFailed,ForgeOne.Commands.SetForgeRetentionPolicyCommand"], result.ErrorIds);
        Assert.Equal(TimeSpan.FromDays(10), PSObjectExtensions.Get<TimeSpan?>(System.Management.Automation.PSObject.AsPSObject(plan.Get("Policy")!), "Logs"));
    }
}
