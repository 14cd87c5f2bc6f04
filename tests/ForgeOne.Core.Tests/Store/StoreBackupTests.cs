using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Backup;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Snapshots;
using ForgeOne.Core.Tests.Repository;
using Xunit;

namespace ForgeOne.Core.Tests.Store;

public sealed class StoreBackupTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_deleted_shard_restored_from_a_backup_has_its_dna_and_entries_back()
    {
        using var context = new StoreTestContext();
        using var repositoryContext = new RepositoryTestContext();
        await using var repository = await repositoryContext.InitAsync();
        List<LogEntry> before;
        ForgeOne.Core.Snapshots.Snapshot backup;
        using (var store = context.Create(logShards: 2))
        {
            store.Logs.Write(StoreTestContext.SampleLogs(4000, Start));
            before = store.Logs.Read(new LogQuery()).ToList();
            backup = await StoreBackupRunner.RunAsync(store, repository, ["nightly"], null, CancellationToken.None);
        }

        Assert.NotNull(backup.Store);
        Assert.Equal(1 + 2 + 2 + 2, backup.Store!.Databases.Count);
        Assert.Contains(StoreBackupRunner.Tag, backup.Tags);
        File.Delete(Path.Join(context.Root, "logs_shard_0.redb"));

        using (var credentials = StoreTestContext.Credentials())
        {
            var result = await StoreRestoreRunner.RunAsync(repository, credentials,
                new StoreRestoreOptions { StorePath = context.Root, Target = "logs_shard_0.redb" }, null, CancellationToken.None);
            var restored = Assert.Single(result.Databases);
            Assert.Equal(backup.Store.Find("logs_shard_0.redb")!.LogicalDna, restored.LogicalDna);
            Assert.Null(restored.PreviousVersion);
        }

        using (var store = context.Open())
        using (var shard = store.OpenShard(new StoreDatabase(StoreDatabaseKind.Logs, 0)))
        {
            Assert.Equal(backup.Store.Find("logs_shard_0.redb")!.LogicalDna, LogicalDna.Compute(shard));
            Assert.Equal(before.Select(entry => entry.Id), store.Logs.Read(new LogQuery()).Select(entry => entry.Id));
        }

        Assert.Empty(Directory.GetDirectories(context.Root, ".restore-*"));
    }

    [Fact]
    public async Task Restoring_over_a_changed_shard_keeps_the_current_file_as_a_dated_version()
    {
        using var context = new StoreTestContext();
        using var repositoryContext = new RepositoryTestContext();
        await using var repository = await repositoryContext.InitAsync();
        using (var store = context.Create(logShards: 1))
        {
            store.Logs.Write(StoreTestContext.SampleLogs(1000, Start));
            await StoreBackupRunner.RunAsync(store, repository, null, null, CancellationToken.None);
            store.Logs.Write(StoreTestContext.SampleLogs(500, Start.AddDays(1)));
        }

        using (var credentials = StoreTestContext.Credentials())
        {
            var result = await StoreRestoreRunner.RunAsync(repository, credentials,
                new StoreRestoreOptions { StorePath = context.Root, Target = "logs" }, null, CancellationToken.None);
            var restored = Assert.Single(result.Databases);
            Assert.NotNull(restored.PreviousVersion);
            Assert.True(File.Exists(restored.PreviousVersion));
        }

        using var reopened = context.Open();
        Assert.Equal(1000, reopened.Logs.Read(new LogQuery()).Count());
    }

    [Fact]
    public async Task A_restore_is_refused_while_the_store_is_open_and_changes_nothing()
    {
        using var context = new StoreTestContext();
        using var repositoryContext = new RepositoryTestContext();
        await using var repository = await repositoryContext.InitAsync();
        using var store = context.Create(logShards: 1);
        store.Logs.Write(StoreTestContext.SampleLogs(100, Start));
        await StoreBackupRunner.RunAsync(store, repository, null, null, CancellationToken.None);
        var shardPath = Path.Join(context.Root, "logs_shard_0.redb");
        var bytes = File.ReadAllBytes(shardPath);

        using var credentials = StoreTestContext.Credentials();
        await Assert.ThrowsAsync<StoreInUseException>(() => StoreRestoreRunner.RunAsync(repository, credentials,
            new StoreRestoreOptions { StorePath = context.Root, Target = "logs_shard_0.redb" }, null, CancellationToken.None));
        Assert.Equal(bytes, File.ReadAllBytes(shardPath));
    }

    [Fact]
    public async Task A_whole_store_restored_into_an_empty_folder_opens_with_its_data()
    {
        using var context = new StoreTestContext();
        using var repositoryContext = new RepositoryTestContext();
        await using var repository = await repositoryContext.InitAsync();
        List<long> ids;
        using (var store = context.Create())
        {
            ids = [.. store.Logs.Write(StoreTestContext.SampleLogs(1500, Start)).Select(entry => entry.Id).Order()];
            await StoreBackupRunner.RunAsync(store, repository, null, null, CancellationToken.None);
        }

        Directory.Delete(context.Root, recursive: true);
        using (var credentials = StoreTestContext.Credentials())
        {
            var result = await StoreRestoreRunner.RunAsync(repository, credentials,
                new StoreRestoreOptions { StorePath = context.Root }, null, CancellationToken.None);
            Assert.Equal(1 + 4 + 2 + 2, result.Databases.Count);
        }

        using var restored = context.Open();
        Assert.Equal(ids, restored.Logs.Read(new LogQuery()).Select(entry => entry.Id).Order());
    }

    [Fact]
    public async Task An_erased_subject_stays_erased_after_a_backup_and_restore_while_other_subjects_read()
    {
        using var context = new StoreTestContext();
        using var repositoryContext = new RepositoryTestContext();
        await using var repository = await repositoryContext.InitAsync();
        using (var store = context.Create(logShards: 2))
        {
            store.Logs.Write(
            [
                Personal("alice", "alice@example.com"),
                Personal("bob", "bob@example.com"),
            ]);
            await StoreBackupRunner.RunAsync(store, repository, null, null, CancellationToken.None);
            Assert.True(store.Subjects.Remove("alice"));
        }

        foreach (var shard in Directory.GetFiles(context.Root, "logs_shard_*.redb"))
        {
            File.Delete(shard);
        }

        using (var credentials = StoreTestContext.Credentials())
        {
            await StoreRestoreRunner.RunAsync(repository, credentials, new StoreRestoreOptions { StorePath = context.Root, Target = "logs" }, null, CancellationToken.None);
        }

        using var restored = context.Open();
        var entries = restored.Logs.Read(new LogQuery { Topic = "app/accounts" }).ToList();
        Assert.Equal(2, entries.Count);
        var erased = Assert.Single(entries, entry => entry.SubjectErased);
        Assert.Null(erased.Subject);
        Assert.False(erased.Metadata.ContainsKey("email"));
        Assert.Equal("signup", erased.Metadata["action"]);
        var bob = Assert.Single(entries, entry => !entry.SubjectErased);
        Assert.Equal("bob", bob.Subject);
        Assert.Equal("bob@example.com", bob.Metadata["email"]);

        static LogEntry Personal(string subject, string email) => new()
        {
            Topic = "app/accounts",
            Message = "account created",
            Timestamp = Start,
            Subject = subject,
            SensitiveFields = ["email"],
            Metadata = new Dictionary<string, string> { ["email"] = email, ["action"] = "signup" },
        };
    }
}
