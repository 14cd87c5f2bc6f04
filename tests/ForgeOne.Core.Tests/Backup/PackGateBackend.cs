using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Backup;

/// <summary>
/// A real backend whose pack writes wait at a gate the test opens, then fail: to fail the pack writer at a chosen
/// moment of the pipeline, with the other stages still busy. Everything else passes straight through.
/// </summary>
internal sealed class PackGateBackend(IStorageBackend inner) : IStorageBackend
{
    private readonly TaskCompletionSource _writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first pack write reaches the gate.</summary>
    public Task PackWriteStarted => _writeStarted.Task;

    public string Location => inner.Location;

    /// <summary>Lets waiting and later pack writes go on, to fail.</summary>
    public void OpenGate() => _gate.TrySetResult();

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
        if (name.StartsWith(RepositoryPaths.DataPrefix, StringComparison.Ordinal))
        {
            _writeStarted.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            throw new StorageException($"Injected failure writing '{name}'.");
        }

        await inner.WriteOnceAsync(name, content, cancellationToken);
    }

    public async Task WriteOnceAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        await WriteOnceAsync(name, buffer.ToArray(), cancellationToken);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(name, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
