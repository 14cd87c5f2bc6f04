using ForgeOne.Core.Audit;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Monitoring;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Tests.Backup;

namespace ForgeOne.Core.Tests.Audit;

public sealed class AuditTrailTests
{
    [Fact]
    public async Task Backups_restores_holds_and_removals_append_records_and_snapshots_anchor_the_head()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a.txt", "audited");
        var first = await context.BackupAsync();
        var second = await context.BackupAsync();
        await context.RestoreToNewAsync(second);
        await new RepositoryPolicies(context.Repository).SetHoldAsync(first.Id!, "case 7", "legal");

        using var log = AuditLog.Open(context.Repository);
        var records = new List<AuditRecord>();
        await foreach (var record in log.QueryAsync())
        {
            records.Add(record);
        }

        Assert.Equal([AuditOperations.Backup, AuditOperations.Backup, AuditOperations.Restore, AuditOperations.HoldSet], records.Select(record => record.Operation));
        Assert.Equal([first.Id!], records[0].RelatedIds);
        Assert.Equal(records[0].Head.ToString(), second.AuditHead);
        var verification = await log.VerifyAsync(await AuditLog.ReadSnapshotAnchorsAsync(context.Repository, CancellationToken.None));
        Assert.True(verification.Passed, verification.Message);
    }

    [Fact]
    public async Task Cutting_the_log_back_past_a_snapshot_anchor_is_detected()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a.txt", "audited");
        await context.BackupAsync();
        await context.BackupAsync();
        await context.BackupAsync();
        var records = new List<string>();
        await foreach (var item in context.Repository.Backend.ListAsync("audit/records/"))
        {
            records.Add(item.Name);
        }

        records.Sort(StringComparer.Ordinal);
        foreach (var name in records.Skip(1))
        {
            await context.Repository.Backend.DeleteAsync(name);
        }

        using var log = AuditLog.Open(context.Repository);
        var verification = await log.VerifyAsync(await AuditLog.ReadSnapshotAnchorsAsync(context.Repository, CancellationToken.None));

        Assert.False(verification.Passed);
        Assert.Equal(AuditFailureReason.Truncated, verification.Reason);
    }

    [Fact]
    public async Task A_failed_drill_alerts_the_webhook_and_the_delivery_is_audited()
    {
        using var webhook = new WebhookListener();
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a.txt", "audited");
        await context.BackupAsync();
        await new Alerting(context.Repository).SetAsync(new AlertSettings { WebhookUrl = webhook.Url }, "ops");

        var drill = await DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions { RpoObjective = TimeSpan.FromTicks(1) }, null, CancellationToken.None);

        Assert.False(drill.Passed);
        Assert.Contains("drill.failed", Assert.Single(webhook.Bodies), StringComparison.Ordinal);
        using var log = AuditLog.Open(context.Repository);
        var operations = new List<string>();
        await foreach (var record in log.QueryAsync())
        {
            operations.Add(record.Operation);
        }

        Assert.Equal([AuditOperations.Backup, AuditOperations.PolicyChange, AuditOperations.Restore, AuditOperations.Drill, AuditOperations.AlertDelivery], operations);
    }
}
