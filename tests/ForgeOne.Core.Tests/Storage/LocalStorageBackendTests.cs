using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Storage;

/// <summary>What <see cref="LocalStorageBackend"/> does beyond the shared contract: its layout on disk and cleanup.</summary>
public sealed class LocalStorageBackendTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly LocalStorageBackend _backend;

    public LocalStorageBackendTests() => _backend = new LocalStorageBackend(Path.Join(_folder.Path, "repo"));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Objects_are_files_at_their_names_under_the_root()
    {
        await _backend.WriteOnceAsync("data/3f/3f2a", new byte[] { 1, 2, 3 });

        Assert.Equal(new byte[] { 1, 2, 3 },
            await File.ReadAllBytesAsync(Path.Join(_backend.RootDirectory, "data", "3f", "3f2a")));
    }

    [Fact]
    public void Root_and_location_are_the_full_path_without_a_trailing_separator()
    {
        var backend = new LocalStorageBackend(Path.Join(_folder.Path, "relative", "..", "repo") + Path.DirectorySeparatorChar);

        Assert.Equal(Path.Join(_folder.Path, "repo"), backend.RootDirectory);
        Assert.Equal(backend.RootDirectory, backend.Location);
        Assert.Equal(Path.Join(backend.RootDirectory, LocalStorageBackend.TemporaryFolderName), backend.TemporaryDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_root_is_rejected(string root) =>
        Assert.Throws<ArgumentException>(() => new LocalStorageBackend(root));

    [Fact]
    public async Task A_missing_root_reads_as_an_empty_repository_and_the_first_write_creates_it()
    {
        Assert.False(Directory.Exists(_backend.RootDirectory));
        Assert.Null(await _backend.StatAsync("config"));
        Assert.Empty(await ListAsync(""));
        await _backend.DeleteAsync("config");
        Assert.False(Directory.Exists(_backend.RootDirectory));

        await _backend.WriteOnceAsync("config", new byte[] { 1 });

        Assert.True(File.Exists(Path.Join(_backend.RootDirectory, "config")));
    }

    [Fact]
    public async Task Cleanup_removes_temporary_files_older_than_the_age_and_keeps_newer_ones()
    {
        Directory.CreateDirectory(_backend.TemporaryDirectory);
        var stale = Path.Join(_backend.TemporaryDirectory, "stale.tmp");
        var recent = Path.Join(_backend.TemporaryDirectory, "recent.tmp");
        await File.WriteAllBytesAsync(stale, new byte[100]);
        await File.WriteAllBytesAsync(recent, new byte[100]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(3));

        var removed = await _backend.CleanupTemporaryFilesAsync(TimeSpan.FromHours(1));

        Assert.Equal(1, removed);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent));
        Assert.Equal(1, await _backend.CleanupTemporaryFilesAsync(TimeSpan.Zero));
        Assert.Empty(Directory.GetFileSystemEntries(_backend.TemporaryDirectory));
    }

    [Fact]
    public async Task Cleanup_without_a_temporary_folder_removes_nothing() =>
        Assert.Equal(0, await _backend.CleanupTemporaryFilesAsync(TimeSpan.Zero));

    [Fact]
    public async Task Cleanup_rejects_a_negative_age() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => _backend.CleanupTemporaryFilesAsync(TimeSpan.FromSeconds(-1)));

    [Fact]
    public async Task Cleanup_leaves_objects_alone()
    {
        await _backend.WriteOnceAsync("snapshots/s1", new byte[] { 1 });
        File.SetLastWriteTimeUtc(Path.Join(_backend.RootDirectory, "snapshots", "s1"), DateTime.UtcNow.AddDays(-30));

        Assert.Equal(0, await _backend.CleanupTemporaryFilesAsync(TimeSpan.Zero));
        Assert.NotNull(await _backend.StatAsync("snapshots/s1"));
    }

    [Fact]
    public async Task Files_whose_names_are_not_valid_object_names_are_not_listed()
    {
        await _backend.WriteOnceAsync("data/3f/3f01", new byte[] { 1 });
        await File.WriteAllBytesAsync(Path.Join(_backend.RootDirectory, "data", "3f", "copy of 3f01"), new byte[] { 1 });
        await File.WriteAllBytesAsync(Path.Join(_backend.RootDirectory, "data", "3f", "3f01~"), new byte[] { 1 });
        Directory.CreateDirectory(Path.Join(_backend.RootDirectory, "data", LocalStorageBackend.TemporaryFolderName));
        await File.WriteAllBytesAsync(
            Path.Join(_backend.RootDirectory, "data", LocalStorageBackend.TemporaryFolderName, "x"), new byte[] { 1 });

        Assert.Equal(["data/3f/3f01"], (await ListAsync("")).Select(o => o.Name));
    }

    [Fact]
    public async Task Writing_below_an_object_fails_with_a_storage_exception_naming_the_object()
    {
        await _backend.WriteOnceAsync("config", new byte[] { 1 });

        var thrown = await Assert.ThrowsAsync<StorageException>(() => _backend.WriteOnceAsync("config/x", new byte[] { 2 }));

        Assert.Contains("config/x", thrown.Message, StringComparison.Ordinal);
        Assert.NotNull(thrown.InnerException);
        Assert.Equal(new byte[] { 1 }, await _backend.ReadAllAsync("config"));
        Assert.Empty(Directory.GetFileSystemEntries(_backend.TemporaryDirectory));
    }

    [Fact]
    public async Task Writing_a_name_that_is_a_folder_of_objects_fails_with_a_storage_exception()
    {
        await _backend.WriteOnceAsync("data/3f/3f01", new byte[] { 1 });

        var thrown = await Assert.ThrowsAsync<StorageException>(() => _backend.WriteOnceAsync("data/3f", new byte[] { 2 }));

        Assert.IsNotType<ObjectExistsException>(thrown);
        Assert.Contains("folder", thrown.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_backend.TemporaryDirectory));
    }

    [Fact]
    public async Task An_open_read_stream_keeps_working_after_the_object_is_deleted()
    {
        await _backend.WriteOnceAsync("data/3f/3f01", new byte[] { 1, 2, 3 });
        await using var stream = await _backend.OpenReadAsync("data/3f/3f01");

        await _backend.DeleteAsync("data/3f/3f01");

        var buffer = new byte[3];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
        Assert.Null(await _backend.StatAsync("data/3f/3f01"));
    }

    [Fact]
    public async Task Writes_leave_the_temporary_folder_empty()
    {
        await _backend.WriteOnceAsync("snapshots/s1", new byte[] { 1 });
        await _backend.WriteOnceAsync("snapshots/s2", new MemoryStream(new byte[] { 2 }));
        await Assert.ThrowsAsync<ObjectExistsException>(() => _backend.WriteOnceAsync("snapshots/s1", new byte[] { 3 }));

        Assert.Empty(Directory.GetFileSystemEntries(_backend.TemporaryDirectory));
    }

    private async Task<List<StorageObject>> ListAsync(string prefix)
    {
        var objects = new List<StorageObject>();
        await foreach (var item in _backend.ListAsync(prefix))
        {
            objects.Add(item);
        }

        return objects;
    }
}
