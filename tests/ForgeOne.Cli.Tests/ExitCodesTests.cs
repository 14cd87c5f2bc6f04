using ForgeOne.Core.Crypto;

namespace ForgeOne.Cli.Tests;

public sealed class ExitCodesTests
{
    [Fact]
    public void Each_documented_failure_has_its_own_code()
    {
        Assert.Equal(ExitCodes.WrongCredentials, ExitCodes.For(new WrongCredentialsException("repo", KeySlotKind.Passphrase)));
        Assert.Equal(ExitCodes.Cancelled, ExitCodes.For(new OperationCanceledException()));
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(new ArgumentException("bad")));
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new IOException("disk")));
    }

    [Fact]
    public void Store_and_config_failures_map_to_their_documented_codes()
    {
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(new ForgeOne.Core.Store.StoreValidationException("Topic", "bad")));
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(new ForgeOne.Core.Configuration.ForgeConfigException("/c.json", "bad")));
        Assert.Equal(ExitCodes.DamageFound, ExitCodes.For(new ForgeOne.Core.Store.StoreFormatException("/s/logs_shard_0.redb", "bad")));
        Assert.Equal(ExitCodes.DamageFound, ExitCodes.For(new ForgeOne.Core.Store.RecordIntegrityException("logs_shard_0.redb", "logs", "1", "bad")));
        Assert.Equal(ExitCodes.Locked, ExitCodes.For(new ForgeOne.Core.Store.StoreInUseException("/s")));
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new ForgeOne.Core.Store.StoreNotFoundException("/s")));
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new ForgeOne.Core.Store.StoreExistsException("/s")));
    }

    [Fact]
    public void Blob_snapshot_backup_and_restore_failures_map_to_their_documented_codes()
    {
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new ForgeOne.Core.Store.Blobs.BlobNotFoundException("a/b")));
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new ForgeOne.Core.Store.StoreSnapshotNotFoundException("20250101T", 0)));
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new ForgeOne.Core.Store.StoreBackupNotFoundException("/s", "holding logs")));
        Assert.Equal(ExitCodes.DamageFound, ExitCodes.For(new ForgeOne.Core.Store.Blobs.BlobIntegrityException("a/b", 1, "blobs_shard_0.redb", "bad")));
        Assert.Equal(ExitCodes.DamageFound, ExitCodes.For(new ForgeOne.Core.Store.StoreRestoreVerificationException("logs_shard_0.redb", ["bad"])));
        Assert.Equal(ExitCodes.DamageFound, ExitCodes.For(new ForgeOne.Core.Store.KeyEpochMissingException(3)));
    }

    [Fact]
    public void Legal_hold_and_refused_prune_map_to_their_documented_codes()
    {
        var hold = new ForgeOne.Core.Retention.LegalHold { SnapshotId = new string('a', 64), Reason = "case 42", SetBy = "alice", SetAt = DateTimeOffset.UtcNow };
        Assert.Equal(ExitCodes.LegalHold, ExitCodes.For(new ForgeOne.Core.Retention.LegalHoldException(hold)));
        Assert.Equal(ExitCodes.DamageFound, ExitCodes.For(new ForgeOne.Core.Prune.PruneRefusedException("tree 1234abcd does not read")));
    }

    [Fact]
    public void Documented_codes_match_docs_cli_md()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ForgeOne.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var doc = File.ReadAllText(Path.Combine(root, "docs", "cli.md"));
        foreach (var field in typeof(ExitCodes).GetFields().Where(f => f.IsLiteral))
        {
            Assert.Contains($"| {field.GetValue(null)} |", doc, StringComparison.Ordinal);
        }
    }
}
