using ForgeOne.Core.Backup;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;
using ForgeOne.Core.Tests.Repository;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Backup;

public sealed class BlobUploaderTests
{
    private const int BlobSize = 16 * 1024;

    [Fact]
    public async Task Blobs_already_stored_or_queued_are_written_once()
    {
        using var context = new RepositoryTestContext();
        await using var repository = await context.InitAsync();
        var statistics = new BackupStatistics();
        var first = Blob(1);
        var second = Blob(2);
        await using (var earlier = new BlobUploader(repository, new BackupStatistics(), 2, CancellationToken.None))
        {
            await earlier.SaveAsync(BlobType.Data, first.Id, first.Bytes, CancellationToken.None);
            await repository.WriteIndexAsync(await earlier.CompleteAsync());
        }

        await using var uploader = new BlobUploader(repository, statistics, 2, CancellationToken.None);
        await uploader.SaveAsync(BlobType.Data, first.Id, first.Bytes, CancellationToken.None);
        await uploader.SaveAsync(BlobType.Data, second.Id, second.Bytes, CancellationToken.None);
        await uploader.SaveAsync(BlobType.Data, second.Id, second.Bytes, CancellationToken.None);
        await uploader.SaveAsync(BlobType.Tree, second.Id, second.Bytes, CancellationToken.None);
        var packs = await uploader.CompleteAsync();

        var written = packs.SelectMany(p => p.Blobs).Select(b => (b.Type, b.Id)).ToList();
        Assert.Equal([(BlobType.Data, second.Id), (BlobType.Tree, second.Id)], written.Order());
        Assert.Equal(2 * BlobSize, statistics.AddedBytes);
        Assert.Equal(packs.Sum(p => p.Length), statistics.StoredBytes);
    }

    [Fact]
    public async Task Pack_write_failure_comes_out_of_complete_as_itself_while_sealers_are_busy()
    {
        using var context = new RepositoryTestContext();
        await (await context.InitAsync()).DisposeAsync();
        var backend = new PackGateBackend(context.Backend);
        using var credentials = RepositoryTestContext.PassphraseCredentials();
        await using var repository = await ForgeRepository.OpenAsync(backend, credentials);
        await using var uploader = new BlobUploader(repository, new BackupStatistics(), 2, CancellationToken.None);

        // Four blobs fill the first pack, whose write waits at the gate; the rest sit in the queues behind it. With two
        // workers the queues hold at most 2 (to seal) + 2 (sealing) + 2 (to pack) more, so 8 stay under the bound.
        for (var i = 0; i < 8; i++)
        {
            var (id, bytes) = Blob(i);
            await uploader.SaveAsync(BlobType.Data, id, bytes, CancellationToken.None);
        }

        await backend.PackWriteStarted;
        var completing = uploader.CompleteAsync();
        backend.OpenGate();

        var error = await Assert.ThrowsAsync<StorageException>(() => completing);
        Assert.StartsWith("Injected failure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_write_failure_comes_out_of_the_next_save_as_itself()
    {
        using var context = new RepositoryTestContext();
        await (await context.InitAsync()).DisposeAsync();
        var backend = new PackGateBackend(context.Backend);
        using var credentials = RepositoryTestContext.PassphraseCredentials();
        await using var repository = await ForgeRepository.OpenAsync(backend, credentials);
        await using var uploader = new BlobUploader(repository, new BackupStatistics(), 2, CancellationToken.None);
        backend.OpenGate();

        var error = await Assert.ThrowsAsync<StorageException>(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var (id, bytes) = Blob(i);
                await uploader.SaveAsync(BlobType.Data, id, bytes, CancellationToken.None);
            }
        });

        Assert.StartsWith("Injected failure", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(PackGateBackend), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_saving_and_completing()
    {
        using var context = new RepositoryTestContext();
        await using var repository = await context.InitAsync();
        using var cancellation = new CancellationTokenSource();
        await using var uploader = new BlobUploader(repository, new BackupStatistics(), 2, cancellation.Token);
        var (id, bytes) = Blob(1);
        await uploader.SaveAsync(BlobType.Data, id, bytes, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var (other, otherBytes) = Blob(2);
            await uploader.SaveAsync(BlobType.Data, other, otherBytes, cancellation.Token);
            await uploader.CompleteAsync();
        });
    }

    private static (BlobId Id, byte[] Bytes) Blob(int seed)
    {
        var bytes = EngineTestContext.RandomBytes(BlobSize, seed);
        return (new BlobId(System.Security.Cryptography.SHA256.HashData(bytes)), bytes);
    }
}
