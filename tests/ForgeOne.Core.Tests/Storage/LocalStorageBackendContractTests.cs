using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Storage;

/// <summary>Runs the storage contract against <see cref="LocalStorageBackend"/> as shipped.</summary>
public class LocalStorageBackendContractTests : StorageBackendContractTests, IDisposable
{
    private readonly TestFolder _folder = new();

    private protected virtual LocalStorageBackend CreateLocalBackend(string root) => new(root);

    private LocalStorageBackend Local => (LocalStorageBackend)Backend;

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override Task<IStorageBackend> CreateBackendAsync() =>
        Task.FromResult<IStorageBackend>(CreateLocalBackend(Path.Join(_folder.Path, "repo")));

    protected override async Task SimulateKilledWriterAsync(string name, byte[] partialContent)
    {
        // What WriteOnceAsync has on disk before the final move: a uniquely named file in the temporary folder.
        Directory.CreateDirectory(Local.TemporaryDirectory);
        await File.WriteAllBytesAsync(Path.Join(Local.TemporaryDirectory, Guid.NewGuid().ToString("N") + ".tmp"),
            partialContent);
    }

    protected override Task AssertNoWriteLeftoversAsync()
    {
        Assert.Empty(Directory.Exists(Local.TemporaryDirectory)
            ? Directory.GetFileSystemEntries(Local.TemporaryDirectory)
            : []);
        return Task.CompletedTask;
    }
}
