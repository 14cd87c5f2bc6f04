using System.Text;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Rotation;

namespace ForgeOne.Core.Tests.Store;

public sealed class StoreAuditTests
{
    [Fact]
    public async Task Store_changes_are_audited_in_system_redb_and_an_erasure_names_only_the_subjects_tag()
    {
        using var context = new StoreTestContext();
        using (var store = context.Create(logShards: 1))
        {
            store.Logs.Write([new LogEntry { Topic = "app/accounts", Message = "created", Subject = "alice@example.com" }]);
            Assert.True(store.Subjects.Remove("alice@example.com"));
            new StoreKeyRotation(store).Run();
            store.Snapshots.Create("system");
        }

        using var reopened = context.Open();
        using var log = reopened.OpenAuditLog();
        var records = new List<AuditRecord>();
        await foreach (var record in log.QueryAsync())
        {
            records.Add(record);
        }

        Assert.Equal([AuditOperations.Init, AuditOperations.SubjectErase, AuditOperations.KeyRotate, AuditOperations.SnapshotCreate], records.Select(record => record.Operation));
        Assert.DoesNotContain("alice", records[1].ToJson().Length > 0 ? Encoding.UTF8.GetString(records[1].ToJson()) : "", StringComparison.Ordinal);
        Assert.StartsWith("subject ", records[1].Target, StringComparison.Ordinal);
        Assert.True((await log.VerifyAsync()).Passed);
        Assert.Equal(-1, File.ReadAllBytes(Path.Join(context.Root, "system.redb")).AsSpan().IndexOf("subject.erase"u8));
    }
}
