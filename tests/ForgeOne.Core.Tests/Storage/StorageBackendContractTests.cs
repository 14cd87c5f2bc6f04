using System.Security.Cryptography;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IStorageBackend"/> must have. Each backend's test class derives from this and
/// supplies a fresh, empty backend per test, so local, Azure and S3 backends all run the same suite.
/// </summary>
public abstract class StorageBackendContractTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;

    private IStorageBackend? _backend;

    /// <summary>The empty backend under test, new for each test.</summary>
    protected IStorageBackend Backend => _backend ?? throw new InvalidOperationException("Not initialized.");

    public static TheoryData<string> InvalidNames =>
    [
        "",
        "/snapshots/a",
        "snapshots/",
        "snapshots//a",
        "..",
        ".",
        "snapshots/../config",
        "snapshots/./a",
        "snapshots\\a",
        "snap\u0000shots",
        "snapshots/a\nb",
        "snapshots/a b",
        "snapshots/a:b",
        "snapshots/\u00e4",
        new string('a', 256),
        string.Join('/', Enumerable.Repeat("abcdefgh", 120)),
    ];

    public static TheoryData<string> InvalidPrefixes => ["/", "/data", "../", "data//", "data/../", "data\\", "data /"];

    private static readonly string[] s_listedNames =
    [
        "config",
        "snapshots/s1",
        "snapshots/s2",
        "data/3f/3f01",
        "data/3f/3f02",
        "data/40/4001",
        "database/x",
        "index/i1",
        "keys/.hidden-key",
    ];

    public static TheoryData<string, string[]> PrefixListings => new()
    {
        { "", s_listedNames },
        { "snapshots/", ["snapshots/s1", "snapshots/s2"] },
        { "snap", ["snapshots/s1", "snapshots/s2"] },
        { "data/", ["data/3f/3f01", "data/3f/3f02", "data/40/4001"] },
        { "data", ["data/3f/3f01", "data/3f/3f02", "data/40/4001", "database/x"] },
        { "data/3", ["data/3f/3f01", "data/3f/3f02"] },
        { "data/3f/3f0", ["data/3f/3f01", "data/3f/3f02"] },
        { "data/3f/3f02", ["data/3f/3f02"] },
        { "config", ["config"] },
        { "keys/", ["keys/.hidden-key"] },
        { "locks/", [] },
        { "data/41/", [] },
    };

    /// <summary>Creates an empty backend for one test.</summary>
    protected abstract Task<IStorageBackend> CreateBackendAsync();

    /// <summary>Removes whatever <see cref="CreateBackendAsync"/> created.</summary>
    protected virtual Task DeleteBackendAsync() => Task.CompletedTask;

    /// <summary>
    /// Leaves behind exactly what a writer of <paramref name="name"/> killed half-way through leaves: a temporary
    /// file, uncommitted blocks, an incomplete multipart upload.
    /// </summary>
    protected abstract Task SimulateKilledWriterAsync(string name, byte[] partialContent);

    /// <summary>Fails if a finished or failed write left anything behind besides objects.</summary>
    protected virtual Task AssertNoWriteLeftoversAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        await DeleteBackendAsync();
    }

    [Fact]
    public void Location_describes_the_backend() => Assert.False(string.IsNullOrWhiteSpace(Backend.Location));

    [Fact]
    public async Task Empty_object_round_trips()
    {
        await Backend.WriteOnceAsync("config", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new StorageObject("config", 0), await Backend.StatAsync("config"));
        Assert.Empty(await Backend.ReadAllAsync("config"));
        Assert.Equal(0, await Backend.ReadAsync("config", 0, new byte[10]));
        await using var stream = await Backend.OpenReadAsync("config");
        Assert.Equal(0, await stream.ReadAsync(new byte[10]));
        Assert.Equal([new StorageObject("config", 0)], await ListAsync(""));
        await AssertNoWriteLeftoversAsync();
    }

    [Fact]
    public async Task Small_object_round_trips()
    {
        var content = RandomBytes(1000, seed: 1);

        await Backend.WriteOnceAsync("snapshots/a1", content);

        Assert.Equal(new StorageObject("snapshots/a1", 1000), await Backend.StatAsync("snapshots/a1"));
        Assert.Equal(content, await Backend.ReadAllAsync("snapshots/a1"));
        Assert.Equal(content, await ReadThroughStreamAsync("snapshots/a1"));
        await AssertNoWriteLeftoversAsync();
    }

    [Fact]
    public async Task Large_object_streams_in_and_out_unchanged()
    {
        var content = RandomBytes(20 * MiB, seed: 2);
        await using (var source = new ScriptedReadStream(content, readSize: 300_007))
        {
            await Backend.WriteOnceAsync("data/7a/7a00", source);
        }

        Assert.Equal(new StorageObject("data/7a/7a00", content.Length), await Backend.StatAsync("data/7a/7a00"));
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(await ReadThroughStreamAsync("data/7a/7a00")));
        var range = new byte[MiB];
        Assert.Equal(MiB, await Backend.ReadAsync("data/7a/7a00", 15 * MiB + 3, range));
        Assert.Equal(content.AsSpan(15 * MiB + 3, MiB).ToArray(), range);
        await AssertNoWriteLeftoversAsync();
    }

    [Theory]
    [InlineData(0, 10, 10)]
    [InlineData(123, 500, 500)]
    [InlineData(990, 100, 10)]
    [InlineData(999, 1, 1)]
    [InlineData(1000, 100, 0)]
    [InlineData(5000, 100, 0)]
    [InlineData(500, 0, 0)]
    [InlineData(0, 4000, 1000)]
    public async Task Range_read_returns_the_bytes_at_the_offset_and_is_short_only_at_the_end(
        long offset, int bufferLength, int expected)
    {
        var content = RandomBytes(1000, seed: 3);
        await Backend.WriteOnceAsync("index/i1", content);
        var buffer = new byte[bufferLength];

        var read = await Backend.ReadAsync("index/i1", offset, buffer);

        Assert.Equal(expected, read);
        Assert.Equal(content.AsSpan((int)Math.Min(offset, content.Length), read).ToArray(), buffer.AsSpan(0, read).ToArray());
    }

    [Fact]
    public async Task Range_read_rejects_a_negative_offset()
    {
        await Backend.WriteOnceAsync("index/i1", new byte[10]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Backend.ReadAsync("index/i1", -1, new byte[1]));
    }

    [Fact]
    public async Task Writing_an_existing_name_throws_and_keeps_the_original_bytes()
    {
        var original = RandomBytes(5000, seed: 4);
        await Backend.WriteOnceAsync("locks/l1", original);

        var fromMemory = await Assert.ThrowsAsync<ObjectExistsException>(
            () => Backend.WriteOnceAsync("locks/l1", RandomBytes(7000, seed: 5)));
        var fromStream = await Assert.ThrowsAsync<ObjectExistsException>(
            () => Backend.WriteOnceAsync("locks/l1", new MemoryStream(RandomBytes(3000, seed: 6))));
        var empty = await Assert.ThrowsAsync<ObjectExistsException>(
            () => Backend.WriteOnceAsync("locks/l1", ReadOnlyMemory<byte>.Empty));

        Assert.Equal(original, await Backend.ReadAllAsync("locks/l1"));
        Assert.Equal("locks/l1", fromMemory.ObjectName);
        Assert.Equal(Backend.Location, fromStream.Location);
        Assert.Contains("locks/l1", empty.Message, StringComparison.Ordinal);
        Assert.False(empty.IsTransient);
        await AssertNoWriteLeftoversAsync();
    }

    [Fact]
    public async Task Of_16_concurrent_writers_of_one_name_exactly_one_succeeds_and_its_bytes_are_stored()
    {
        const int writers = 16;
        for (var round = 0; round < 8; round++)
        {
            var name = $"snapshots/race{round}";
            var contents = Enumerable.Range(0, writers).Select(i => RandomBytes(64 * 1024 + i, seed: 100 * round + i))
                .ToArray();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = contents.Select((content, i) => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    if (i % 2 == 0)
                    {
                        await Backend.WriteOnceAsync(name, content);
                    }
                    else
                    {
                        await Backend.WriteOnceAsync(name, new MemoryStream(content));
                    }

                    return true;
                }
                catch (ObjectExistsException)
                {
                    return false;
                }
            })).ToArray();

            start.SetResult();
            var succeeded = await Task.WhenAll(attempts);

            var winners = Enumerable.Range(0, writers).Where(i => succeeded[i]).ToArray();
            Assert.Single(winners);
            Assert.Equal(contents[winners[0]], await Backend.ReadAllAsync(name));
        }

        Assert.Equal(8, (await ListAsync("snapshots/")).Count);
        await AssertNoWriteLeftoversAsync();
    }

    [Theory]
    [MemberData(nameof(PrefixListings))]
    public async Task Listing_returns_all_and_only_the_objects_whose_names_start_with_the_prefix(
        string prefix, string[] expected)
    {
        foreach (var name in s_listedNames)
        {
            await Backend.WriteOnceAsync(name, RandomBytes(name.Length, seed: name.Length));
        }

        var listed = await ListAsync(prefix);

        // Compared as sets: backends promise no order.
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.All(listed, o => Assert.Equal(o.Name.Length, o.Length));
    }

    [Fact]
    public async Task Listing_a_prefix_nothing_was_written_under_returns_nothing()
    {
        Assert.Empty(await ListAsync(""));
        Assert.Empty(await ListAsync("snapshots/"));
        Assert.Empty(await ListAsync("data/3f"));
    }

    [Fact]
    public async Task Listing_can_be_cancelled()
    {
        await Backend.WriteOnceAsync("snapshots/a", new byte[1]);
        await Backend.WriteOnceAsync("snapshots/b", new byte[1]);
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Backend.ListAsync("", cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task A_killed_writer_leaves_nothing_visible_and_does_not_block_the_name()
    {
        await SimulateKilledWriterAsync("snapshots/k1", RandomBytes(4096, seed: 7));

        Assert.Empty(await ListAsync(""));
        Assert.Null(await Backend.StatAsync("snapshots/k1"));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.ReadAllAsync("snapshots/k1"));

        var content = RandomBytes(100, seed: 8);
        await Backend.WriteOnceAsync("snapshots/k1", content);
        Assert.Equal(content, await Backend.ReadAllAsync("snapshots/k1"));
        Assert.Equal(["snapshots/k1"], (await ListAsync("")).Select(o => o.Name));
    }

    [Fact]
    public async Task Deleting_is_idempotent_and_frees_the_name()
    {
        await Backend.WriteOnceAsync("locks/l1", new byte[] { 1, 2, 3 });

        await Backend.DeleteAsync("locks/l1");
        await Backend.DeleteAsync("locks/l1");
        await Backend.DeleteAsync("locks/never-written");
        await Backend.DeleteAsync("never/written/either");

        Assert.Null(await Backend.StatAsync("locks/l1"));
        Assert.Empty(await ListAsync("locks/"));
        await Backend.WriteOnceAsync("locks/l1", new byte[] { 4 });
        Assert.Equal(new byte[] { 4 }, await Backend.ReadAllAsync("locks/l1"));
    }

    [Fact]
    public async Task Deleting_one_object_leaves_the_others()
    {
        await Backend.WriteOnceAsync("data/3f/3f01", new byte[] { 1 });
        await Backend.WriteOnceAsync("data/3f/3f02", new byte[] { 2 });

        await Backend.DeleteAsync("data/3f/3f01");

        Assert.Equal([new StorageObject("data/3f/3f02", 1)], await ListAsync("data/"));
    }

    [Fact]
    public async Task A_prefix_of_other_names_is_not_an_object()
    {
        await Backend.WriteOnceAsync("data/3f/3f01", new byte[] { 1 });

        Assert.Null(await Backend.StatAsync("data"));
        Assert.Null(await Backend.StatAsync("data/3f"));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.ReadAsync("data/3f", 0, new byte[1]));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.OpenReadAsync("data"));
        await Backend.DeleteAsync("data/3f");
        Assert.NotNull(await Backend.StatAsync("data/3f/3f01"));
    }

    [Fact]
    public async Task Reading_a_missing_object_throws_not_found_and_stat_returns_null()
    {
        Assert.Null(await Backend.StatAsync("snapshots/missing"));

        var read = await Assert.ThrowsAsync<StorageObjectNotFoundException>(
            () => Backend.ReadAsync("snapshots/missing", 0, new byte[1]));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.ReadAsync("snapshots/missing", 0, Memory<byte>.Empty));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.OpenReadAsync("snapshots/missing"));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.ReadAllAsync("snapshots/missing"));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.ReadAllAsync("no/such/folder"));

        Assert.Equal("snapshots/missing", read.ObjectName);
        Assert.Equal(Backend.Location, read.Location);
        Assert.Contains("snapshots/missing", read.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ForgeException>(read);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Every_member_rejects_an_invalid_name(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.StatAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.ReadAsync(name, 0, new byte[1]));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.OpenReadAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.ReadAllAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.WriteOnceAsync(name, new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.WriteOnceAsync(name, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.DeleteAsync(name));

        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task Every_member_rejects_a_null_name()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Backend.StatAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Backend.ReadAsync(null!, 0, new byte[1]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Backend.OpenReadAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Backend.WriteOnceAsync(null!, new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Backend.WriteOnceAsync(null!, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Backend.DeleteAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ListAsync(null!));
    }

    [Theory]
    [MemberData(nameof(InvalidPrefixes))]
    public async Task Listing_rejects_an_invalid_prefix(string prefix) =>
        await Assert.ThrowsAsync<ArgumentException>(() => ListAsync(prefix));

    [Fact]
    public async Task Cancelling_a_streaming_write_midway_leaves_no_object()
    {
        var content = RandomBytes(4 * MiB, seed: 9);
        var source = new ScriptedReadStream(content, readSize: 64 * 1024, stopAfter: MiB);
        using var cancellation = new CancellationTokenSource();

        var write = Backend.WriteOnceAsync("snapshots/c1", source, cancellation.Token);
        await source.Stopped.WaitAsync(TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        await AssertNothingStoredAsync("snapshots/c1");
        await AssertNoWriteLeftoversAsync();
    }

    [Fact]
    public async Task A_write_cancelled_before_it_starts_stores_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Backend.WriteOnceAsync("snapshots/c2", new byte[100], cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Backend.WriteOnceAsync("snapshots/c2", new MemoryStream(new byte[100]), cancellation.Token));

        await AssertNothingStoredAsync("snapshots/c2");
        await AssertNoWriteLeftoversAsync();
    }

    [Fact]
    public async Task A_source_stream_failure_passes_through_and_leaves_no_object()
    {
        var failure = new InvalidDataException("The source file changed while it was being read.");
        var source = new ScriptedReadStream(RandomBytes(2 * MiB, seed: 10), readSize: 100_000, stopAfter: MiB + 17,
            failure);

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => Backend.WriteOnceAsync("snapshots/f1", source));

        Assert.Same(failure, thrown);
        await AssertNothingStoredAsync("snapshots/f1");
        await AssertNoWriteLeftoversAsync();
    }

    [Fact]
    public async Task A_failed_write_does_not_block_a_later_write_of_the_same_name()
    {
        var source = new ScriptedReadStream(new byte[1000], readSize: 100, stopAfter: 500, new IOException("disk gone"));
        await Assert.ThrowsAsync<IOException>(() => Backend.WriteOnceAsync("snapshots/f2", source));

        await Backend.WriteOnceAsync("snapshots/f2", new byte[] { 42 });

        Assert.Equal(new byte[] { 42 }, await Backend.ReadAllAsync("snapshots/f2"));
    }

    [Fact]
    public async Task A_streaming_write_stores_the_source_from_its_current_position()
    {
        var content = RandomBytes(1000, seed: 11);
        using var source = new MemoryStream(content) { Position = 100 };

        await Backend.WriteOnceAsync("index/i2", source);

        Assert.Equal(content[100..], await Backend.ReadAllAsync("index/i2"));
    }

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<List<StorageObject>> ListAsync(string prefix)
    {
        var objects = new List<StorageObject>();
        await foreach (var item in Backend.ListAsync(prefix))
        {
            objects.Add(item);
        }

        Assert.Equal(objects.Count, objects.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count());
        return objects;
    }

    private async Task<byte[]> ReadThroughStreamAsync(string name)
    {
        await using var stream = await Backend.OpenReadAsync(name);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task AssertNothingStoredAsync(string name)
    {
        Assert.Null(await Backend.StatAsync(name));
        Assert.Empty(await ListAsync(""));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => Backend.ReadAsync(name, 0, new byte[1]));
    }
}
