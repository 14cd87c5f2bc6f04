using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary>Snapshot objects: sealed, named by the hash of their bytes, found by id or unique prefix.</summary>
public sealed class SnapshotObjectTests : IDisposable
{
    private readonly RepositoryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task A_saved_snapshot_loads_by_full_id_and_by_prefix_after_reopen()
    {
        var json = Json("first");
        string id;
        await using (var repository = await _context.InitAsync())
        {
            id = await repository.SaveSnapshotAsync(json);
        }

        await using var reopened = await _context.OpenAsync();

        Assert.True(RepositoryPaths.IsHashId(id));
        Assert.Equal(json, await reopened.LoadSnapshotAsync(id));
        Assert.Equal(json, await reopened.LoadSnapshotAsync(id[..8]));
        Assert.Equal(json, await reopened.LoadSnapshotAsync(id[..8].ToUpperInvariant()));
        Assert.Equal(id, await reopened.ResolveSnapshotIdAsync(id[..5]));
    }

    [Fact]
    public async Task The_snapshot_id_is_the_BLAKE3_of_the_stored_sealed_bytes()
    {
        await using var repository = await _context.InitAsync();
        var json = Json("hashed");

        var id = await repository.SaveSnapshotAsync(json);
        var bytes = await File.ReadAllBytesAsync(_context.PathOf(RepositoryPaths.Snapshot(id)));

        Assert.Equal(id, Convert.ToHexString(Blake3.Hash(bytes)).ToLowerInvariant());
        Assert.DoesNotContain("hashed", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ambiguous_prefix_is_refused_with_the_candidates()
    {
        await using var repository = await _context.InitAsync();
        var ids = new List<string>();

        // 17 ids over 16 possible first digits: two must share one.
        for (var i = 0; i < 17; i++)
        {
            ids.Add(await repository.SaveSnapshotAsync(Json($"snapshot {i}")));
        }

        var shared = ids.GroupBy(id => id[0]).First(g => g.Count() > 1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => repository.LoadSnapshotAsync(shared.Key.ToString()));

        Assert.All(shared, id => Assert.Contains(id, error.Message, StringComparison.Ordinal));
        Assert.Contains("more digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_id_or_prefix_throws_SnapshotNotFoundException()
    {
        await using var repository = await _context.InitAsync();
        var id = await repository.SaveSnapshotAsync(Json("only"));
        var other = id[0] == 'f' ? "e" : "f";

        var byPrefix = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => repository.LoadSnapshotAsync(other));
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => repository.LoadSnapshotAsync(other + id[1..]));

        Assert.Equal(other, byPrefix.IdOrPrefix);
        Assert.Contains(_context.Backend.Location, byPrefix.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("../config")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    public async Task Text_that_is_not_a_hex_id_or_prefix_is_refused(string text)
    {
        await using var repository = await _context.InitAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => repository.LoadSnapshotAsync(text));
    }

    [Fact]
    public async Task A_tampered_snapshot_object_throws_an_IntegrityException_when_loaded_or_listed()
    {
        await using var repository = await _context.InitAsync();
        var id = await repository.SaveSnapshotAsync(Json("tampered"));
        var path = _context.PathOf(RepositoryPaths.Snapshot(id));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[40] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<ObjectHashMismatchException>(() => repository.LoadSnapshotAsync(id));
        await Assert.ThrowsAsync<ObjectHashMismatchException>(async () =>
        {
            await foreach (var _ in repository.LoadSnapshotsAsync())
            {
            }
        });

        Assert.IsAssignableFrom<IntegrityException>(error);
        Assert.Equal(ObjectKind.Snapshot, error.Kind);
        Assert.Contains(id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_stored_under_another_name_is_detected()
    {
        await using var repository = await _context.InitAsync();
        var id = await repository.SaveSnapshotAsync(Json("moved"));
        var bytes = await File.ReadAllBytesAsync(_context.PathOf(RepositoryPaths.Snapshot(id)));
        var otherId = new string('0', 64);
        await _context.Backend.WriteOnceAsync(RepositoryPaths.Snapshot(otherId), bytes);

        await Assert.ThrowsAsync<ObjectHashMismatchException>(() => repository.LoadSnapshotAsync(otherId));
    }

    [Fact]
    public async Task All_snapshots_load_in_id_order()
    {
        await using var repository = await _context.InitAsync();
        var saved = new Dictionary<string, byte[]>();
        for (var i = 0; i < 5; i++)
        {
            var json = Json($"snapshot {i}");
            saved[await repository.SaveSnapshotAsync(json)] = json;
        }

        var loaded = new List<(string Id, byte[] Json)>();
        await foreach (var snapshot in repository.LoadSnapshotsAsync())
        {
            loaded.Add(snapshot);
        }

        Assert.Equal(saved.Keys.Order(StringComparer.Ordinal), loaded.Select(s => s.Id));
        Assert.All(loaded, s => Assert.Equal(saved[s.Id], s.Json));
        Assert.Equal(saved.Keys.Order(StringComparer.Ordinal), await repository.ListSnapshotIdsAsync());
    }

    [Fact]
    public async Task A_deleted_snapshot_is_gone()
    {
        await using var repository = await _context.InitAsync();
        var keep = await repository.SaveSnapshotAsync(Json("keep"));
        var drop = await repository.SaveSnapshotAsync(Json("drop"));

        Assert.Equal(drop, await repository.DeleteSnapshotAsync(drop));

        Assert.Equal([keep], await repository.ListSnapshotIdsAsync());
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => repository.LoadSnapshotAsync(drop));
    }

    [Fact]
    public async Task An_empty_snapshot_document_is_refused()
    {
        await using var repository = await _context.InitAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveSnapshotAsync(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public async Task Sealed_object_helpers_round_trip_and_bind_the_id()
    {
        await using var repository = await _context.InitAsync();
        var id = new string('a', 64);
        var name = RepositoryPaths.Lock(id);

        await repository.WriteSealedObjectAsync(name, ObjectKind.Lock, Encoding.ASCII.GetBytes(id), Json("lock"));

        Assert.Equal(Json("lock"), await repository.ReadSealedObjectAsync(name, ObjectKind.Lock, Encoding.ASCII.GetBytes(id), 1024));
        await Assert.ThrowsAsync<ObjectAuthenticationException>(
            () => repository.ReadSealedObjectAsync(name, ObjectKind.Lock, Encoding.ASCII.GetBytes(new string('b', 64)), 1024));
        await Assert.ThrowsAsync<ArgumentException>(
            () => repository.ReadSealedObjectAsync(name, ObjectKind.Chunk, default, 1024));
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes($"{{\"version\":1,\"host\":\"{text}\"}}");
}
