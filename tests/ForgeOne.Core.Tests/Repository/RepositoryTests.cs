using System.Security.Cryptography;
using System.Text;
using ForgeOne.Core.Chunking;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary>Init, open, credentials and key slots of <see cref="ForgeRepository"/>.</summary>
public sealed class RepositoryTests : IDisposable
{
    private readonly RepositoryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Init_then_open_with_the_passphrase_reads_the_same_config()
    {
        RepositoryConfig created;
        await using (var repository = await _context.InitAsync())
        {
            created = repository.Config;
            Assert.Equal(0, repository.Index.Count);
        }

        await using var reopened = await _context.OpenAsync();

        Assert.Equal(created.Id, reopened.Config.Id);
        Assert.Equal(created.Created, reopened.Config.Created);
        Assert.Equal(created.Chunker, reopened.Config.Chunker);
        Assert.Equal(created.PackSize, reopened.Config.PackSize);
        Assert.Equal(created.CompressionLevel, reopened.Config.CompressionLevel);
        Assert.Equal(_context.Backend.Location, reopened.Location);
    }

    [Fact]
    public async Task Init_writes_one_key_slot_and_then_the_config()
    {
        await using var repository = await _context.InitAsync();

        var names = await _context.ListAsync("");

        Assert.Equal(["config", RepositoryPaths.Key(repository.CurrentKeySlotId)], names);
    }

    [Fact]
    public async Task Init_and_open_with_a_key_file()
    {
        var keyFilePath = Path.Join(_context.TempPath, "repo.key");
        KeyFile.Generate(keyFilePath, force: false);
        using (var credentials = RepositoryCredentials.FromKeyFile(keyFilePath))
        {
            await using var created = await ForgeRepository.InitAsync(_context.Backend, credentials, RepositoryTestContext.Options());
        }

        using (var credentials = RepositoryCredentials.FromKeyFile(keyFilePath))
        {
            await using var opened = await ForgeRepository.OpenAsync(_context.Backend, credentials);
            var slot = Assert.Single(await opened.ListKeysAsync());
            Assert.Equal(KeySlotKind.KeyFile, slot.Kind);
            Assert.Null(slot.Argon2);
        }
    }

    [Fact]
    public async Task Wrong_passphrase_throws_WrongCredentialsException_and_writes_nothing()
    {
        await (await _context.InitAsync()).DisposeAsync();
        var before = await _context.ListAllAsync();

        using var wrong = RepositoryCredentials.FromPassphrase("not the passphrase");
        var error = await Assert.ThrowsAsync<WrongCredentialsException>(() => ForgeRepository.OpenAsync(_context.Backend, wrong));

        Assert.Equal(_context.Backend.Location, error.Location);
        Assert.DoesNotContain("not the passphrase", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await _context.ListAllAsync());
    }

    [Fact]
    public async Task A_key_file_does_not_open_a_passphrase_only_repository()
    {
        await (await _context.InitAsync()).DisposeAsync();
        using var keyFile = RepositoryCredentials.FromKeyFileBytes(RandomNumberGenerator.GetBytes(KeyFile.Size));

        var error = await Assert.ThrowsAsync<WrongCredentialsException>(() => ForgeRepository.OpenAsync(_context.Backend, keyFile));

        Assert.Equal(KeySlotKind.KeyFile, error.Attempted);
    }

    [Fact]
    public async Task Opening_an_empty_folder_throws_RepositoryNotFoundException_naming_the_location_and_init()
    {
        using var credentials = RepositoryTestContext.PassphraseCredentials();

        var error = await Assert.ThrowsAsync<RepositoryNotFoundException>(
            () => ForgeRepository.OpenAsync(_context.Backend, credentials));

        Assert.False(error.IsIncompleteInit);
        Assert.Contains(_context.Backend.Location, error.Message, StringComparison.Ordinal);
        Assert.Contains("New-ForgeRepository", error.Message, StringComparison.Ordinal);
        Assert.Contains("forge repo init", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _context.ListAllAsync());
    }

    [Fact]
    public async Task Key_slots_without_a_config_are_reported_as_an_unfinished_init()
    {
        await (await _context.InitAsync()).DisposeAsync();
        await _context.Backend.DeleteAsync(RepositoryPaths.Config);
        using var credentials = RepositoryTestContext.PassphraseCredentials();

        var openError = await Assert.ThrowsAsync<RepositoryNotFoundException>(
            () => ForgeRepository.OpenAsync(_context.Backend, credentials));
        var initError = await Assert.ThrowsAsync<RepositoryExistsException>(
            () => ForgeRepository.InitAsync(_context.Backend, credentials, RepositoryTestContext.Options()));

        Assert.True(openError.IsIncompleteInit);
        Assert.Contains("not a repository", openError.Message, StringComparison.Ordinal);
        Assert.Contains("init again in an empty location", openError.Message, StringComparison.Ordinal);
        Assert.True(initError.IsIncompleteInit);
    }

    [Fact]
    public async Task Init_twice_throws_RepositoryExistsException_and_changes_nothing()
    {
        await (await _context.InitAsync()).DisposeAsync();
        var before = await _context.ListAllAsync();
        using var credentials = RepositoryTestContext.PassphraseCredentials();

        var error = await Assert.ThrowsAsync<RepositoryExistsException>(
            () => ForgeRepository.InitAsync(_context.Backend, credentials, RepositoryTestContext.Options()));

        Assert.False(error.IsIncompleteInit);
        Assert.Equal(before, await _context.ListAllAsync());
    }

    [Fact]
    public async Task Added_key_file_opens_after_the_passphrase_slot_is_removed()
    {
        var keyFile = RandomNumberGenerator.GetBytes(KeyFile.Size);
        string passphraseSlot;
        string keyFileSlot;
        await using (var repository = await _context.InitAsync())
        {
            passphraseSlot = repository.CurrentKeySlotId;
            using var keyFileCredentials = RepositoryCredentials.FromKeyFileBytes(keyFile);
            keyFileSlot = await repository.AddKeyAsync(keyFileCredentials);
            Assert.Equal(2, (await repository.ListKeysAsync()).Count);

            // Removing the slot in use is allowed; this instance keeps its key.
            await repository.RemoveKeyAsync(passphraseSlot);
            Assert.NotEqual(default, repository.ComputeBlobId("still works"u8));
        }

        using (var viaKeyFile = RepositoryCredentials.FromKeyFileBytes(keyFile))
        {
            await using var reopened = await ForgeRepository.OpenAsync(_context.Backend, viaKeyFile);
            var slot = Assert.Single(await reopened.ListKeysAsync());
            Assert.Equal(keyFileSlot, slot.Id);
            Assert.True(slot.IsCurrent);
        }

        await Assert.ThrowsAsync<WrongCredentialsException>(_context.OpenAsync);
    }

    [Fact]
    public async Task Removing_the_last_key_slot_is_refused_and_keeps_it()
    {
        await using var repository = await _context.InitAsync();
        var before = await _context.ListAllAsync();

        var error = await Assert.ThrowsAsync<LastKeySlotException>(() => repository.RemoveKeyAsync(repository.CurrentKeySlotId));

        Assert.Equal(repository.CurrentKeySlotId, error.SlotId);
        Assert.Equal(before, await _context.ListAllAsync());
    }

    [Fact]
    public async Task Removing_an_unknown_key_slot_throws_KeySlotNotFoundException()
    {
        await using var repository = await _context.InitAsync();

        var error = await Assert.ThrowsAsync<KeySlotNotFoundException>(() => repository.RemoveKeyAsync("0123456789abcdef"));

        Assert.Equal("0123456789abcdef", error.SlotId);
    }

    [Fact]
    public async Task Listing_keys_marks_the_slot_in_use_and_shows_no_secret()
    {
        await using var repository = await _context.InitAsync();
        using var second = RepositoryCredentials.FromPassphrase("a second passphrase");
        var secondId = await repository.AddKeyAsync(second, RepositoryTestContext.FastArgon2);

        var slots = await repository.ListKeysAsync();

        Assert.Equal(2, slots.Count);
        Assert.True(slots.Single(s => s.Id == repository.CurrentKeySlotId).IsCurrent);
        Assert.False(slots.Single(s => s.Id == secondId).IsCurrent);
        Assert.All(slots, s => Assert.Equal(RepositoryTestContext.FastArgon2, s.Argon2));
        Assert.DoesNotContain("second passphrase", string.Join(" ", slots), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_key_slot_does_not_lock_out_the_others()
    {
        await (await _context.InitAsync()).DisposeAsync();
        await _context.Backend.WriteOnceAsync("keys/0123456789abcdef", "{ not a key slot"u8.ToArray());

        await using var repository = await _context.OpenAsync();

        Assert.Single(await repository.ListKeysAsync());
    }

    [Fact]
    public async Task The_config_is_sealed_and_a_tampered_config_fails_authentication()
    {
        await (await _context.InitAsync()).DisposeAsync();
        var path = _context.PathOf(RepositoryPaths.Config);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.DoesNotContain("packSize", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        bytes[^20] ^= 0x01;
        File.Delete(path);
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<ObjectAuthenticationException>(_context.OpenAsync);
        Assert.Equal(ObjectKind.Config, error.Kind);
    }

    [Fact]
    public async Task Blob_ids_are_keyed_per_repository_and_stable_across_opens()
    {
        var data = Encoding.UTF8.GetBytes("the same chunk in two repositories");
        BlobId first;
        await using (var repository = await _context.InitAsync())
        {
            first = repository.ComputeBlobId(data);
            Assert.Equal(first, repository.ComputeBlobId(data));
            Assert.NotEqual(new BlobId(Blake3.Hash(data)), first);
        }

        await using (var reopened = await _context.OpenAsync())
        {
            Assert.Equal(first, reopened.ComputeBlobId(data));
        }

        using var other = new RepositoryTestContext();
        await using var otherRepository = await other.InitAsync();
        Assert.NotEqual(first, otherRepository.ComputeBlobId(data));
    }

    [Fact]
    public async Task The_chunker_uses_the_config_sizes_and_cuts_the_same_after_reopen()
    {
        var data = RandomNumberGenerator.GetBytes(512 * 1024);
        List<int> cuts;
        await using (var repository = await _context.InitAsync())
        {
            var chunker = repository.CreateChunker();
            Assert.Equal(repository.Config.Chunker, chunker.Options);
            cuts = Cuts(chunker, data);
        }

        await using var reopened = await _context.OpenAsync();

        Assert.Equal(cuts, Cuts(reopened.CreateChunker(), data));
        Assert.True(cuts.Count > 10);
    }

    [Fact]
    public async Task A_disposed_repository_refuses_further_use()
    {
        var repository = await _context.InitAsync();
        await repository.DisposeAsync();
        await repository.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => repository.ComputeBlobId([1]));
        Assert.Throws<ObjectDisposedException>(repository.CreatePackWriter);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => repository.SaveSnapshotAsync(new byte[] { 1 }));
    }

    [Fact]
    public async Task Init_options_reach_the_config()
    {
        var options = new RepositoryInitOptions
        {
            Argon2 = RepositoryTestContext.FastArgon2,
            PackSize = 1024 * 1024,
            CompressionLevel = 9,
            Chunker = new ChunkerOptions(1024, 4096, 16384),
        };

        await using var repository = await _context.InitAsync(options);

        Assert.Equal(1024 * 1024, repository.Config.PackSize);
        Assert.Equal(9, repository.Config.CompressionLevel);
        Assert.Equal(new ChunkerOptions(1024, 4096, 16384), repository.Config.Chunker);
        Assert.Equal(RepositoryConfig.FormatVersion, repository.Config.Version);
    }

    private static List<int> Cuts(FastCdcChunker chunker, byte[] data)
    {
        var cuts = new List<int>();
        var offset = 0;
        while (offset < data.Length)
        {
            var length = chunker.FindCutPoint(data.AsSpan(offset));
            offset += length;
            cuts.Add(offset);
        }

        return cuts;
    }
}
