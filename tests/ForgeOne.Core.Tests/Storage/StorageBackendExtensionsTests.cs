using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Storage;

public sealed class StorageBackendExtensionsTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly LocalStorageBackend _backend;

    public StorageBackendExtensionsTests() => _backend = new LocalStorageBackend(_folder.Path);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reading_whole_refuses_an_object_larger_than_the_limit()
    {
        await _backend.WriteOnceAsync("index/i1", new byte[1001]);

        var thrown = await Assert.ThrowsAsync<StorageException>(() => _backend.ReadAllAsync("index/i1", 1000));

        Assert.Contains("index/i1", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("1001 bytes", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_whole_accepts_an_object_exactly_at_the_limit()
    {
        var content = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        await _backend.WriteOnceAsync("index/i1", content);

        Assert.Equal(content, await _backend.ReadAllAsync("index/i1", 1000));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData((long)int.MaxValue + 1)]
    public async Task Reading_whole_rejects_an_impossible_limit(long limit) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _backend.ReadAllAsync("index/i1", limit));

    [Fact]
    public async Task Reading_whole_rejects_a_null_backend() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => StorageBackendExtensions.ReadAllAsync(null!, "index/i1"));
}
