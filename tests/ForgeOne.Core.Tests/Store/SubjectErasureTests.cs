using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Rotation;

namespace ForgeOne.Core.Tests.Store;

public sealed class SubjectErasureTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void After_removal_a_subjects_entries_read_back_erased_without_sensitive_fields_and_others_are_intact()
    {
        using var context = new StoreTestContext();
        using (var store = context.Create(logShards: 2))
        {
            store.Logs.Write([.. Entries("alice", 50), .. Entries("bob", 50), .. StoreTestContext.SampleLogs(100, Start)]);

            Assert.True(store.Subjects.Remove("alice"));

            AssertErasedAndIntact(store, 50, 50);
        }

        using var reopened = context.Open();
        Assert.False(reopened.Subjects.Contains("alice"));
        Assert.True(reopened.Subjects.Contains("bob"));
        AssertErasedAndIntact(reopened, 50, 50);
    }

    [Fact]
    public void Removing_a_subject_twice_or_one_never_seen_reports_that_no_key_was_there()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        store.Logs.Write(Entries("alice", 1));

        Assert.True(store.Subjects.Remove("alice"));
        Assert.False(store.Subjects.Remove("alice"));
        Assert.False(store.Subjects.Remove("nobody"));
    }

    [Fact]
    public void Key_rotation_keeps_erased_entries_erased_and_other_subjects_readable()
    {
        using var context = new StoreTestContext();
        using (var store = context.Create(logShards: 2))
        {
            store.Logs.Write([.. Entries("alice", 40), .. Entries("bob", 40)]);
            store.Subjects.Remove("alice");

            Assert.True(new StoreKeyRotation(store).Run(batchSize: 16).Completed);
        }

        using var reopened = context.Open();
        AssertErasedAndIntact(reopened, 40, 40);
    }

    private static IEnumerable<LogEntry> Entries(string subject, int count) =>
        Enumerable.Range(0, count).Select(index => new LogEntry
        {
            Topic = "app/auth",
            Timestamp = Start.AddSeconds(index),
            Message = $"login {index} ok",
            Subject = subject,
            SensitiveFields = ["email"],
            Metadata = new Dictionary<string, string> { ["email"] = $"{subject}@example.com", ["node"] = "node-1" },
        });

    private static void AssertErasedAndIntact(ForgeStore store, int aliceEntries, int bobEntries)
    {
        var entries = store.Logs.Read(new LogQuery { Topic = "app/auth", PageSize = 5000 }).ToList();
        var erased = entries.Where(entry => entry.SubjectErased).ToList();
        var bob = entries.Where(entry => entry.Subject == "bob").ToList();

        Assert.Equal(aliceEntries, erased.Count);
        Assert.Equal(bobEntries, bob.Count);
        Assert.All(erased, entry =>
        {
            Assert.Null(entry.Subject);
            Assert.Empty(entry.SensitiveFields);
            Assert.False(entry.Metadata.ContainsKey("email"));
            Assert.Equal("node-1", entry.Metadata["node"]);
            Assert.StartsWith("login ", entry.Message);
        });
        Assert.DoesNotContain(entries, entry => entry.Metadata.Values.Contains("alice@example.com"));
        Assert.All(bob, entry =>
        {
            Assert.False(entry.SubjectErased);
            Assert.Equal(["email"], entry.SensitiveFields);
            Assert.Equal("bob@example.com", entry.Metadata["email"]);
        });
        Assert.Equal(entries.Count, erased.Count + bob.Count + entries.Count(entry => entry.Subject is null && !entry.SubjectErased));
    }
}
