using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Repository.Locking;

/// <summary>
/// A real backend with fault injection for the lock tests: failing writes or deletes, and a hook that runs after a
/// write succeeds (to plant a competing lock exactly in the race window, or cancel there).
/// </summary>
internal sealed class HookedBackend(IStorageBackend inner) : IStorageBackend
{
    public bool FailWrites { get; set; }

    public bool FailDeletes { get; set; }

    public Func<string, Task>? AfterWrite { get; set; }

    public string Location => inner.Location;

    public IAsyncEnumerable<StorageObject> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, cancellationToken);

    public Task<StorageObject?> StatAsync(string name, CancellationToken cancellationToken = default) =>
        inner.StatAsync(name, cancellationToken);

    public Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(name, offset, buffer, cancellationToken);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        inner.OpenReadAsync(name, cancellationToken);

    public async Task WriteOnceAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (FailWrites)
        {
            throw new StorageException($"Injected write failure for '{name}'.", isTransient: true);
        }

        await inner.WriteOnceAsync(name, content, cancellationToken);
        if (AfterWrite is { } hook)
        {
            await hook(name);
        }
    }

    public Task WriteOnceAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Locks are written from memory.");

    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        FailDeletes
            ? throw new StorageException($"Injected delete failure for '{name}'.", isTransient: true)
            : inner.DeleteAsync(name, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
