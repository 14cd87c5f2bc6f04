using ForgeOne.Core.Backup;

namespace ForgeOne.Core.Tests.Backup;

public sealed class BlobBufferPoolTests
{
    [Fact]
    public async Task A_returned_buffer_is_rented_again_from_any_thread_best_fit_first()
    {
        var pool = new BlobBufferPool(capacity: 4);
        var small = pool.Rent(100_000);
        var large = pool.Rent(3_000_000);
        Assert.Equal(0, small.Length % (64 * 1024));
        Assert.InRange(large.Length, 3_000_000, 3_000_000 + (64 * 1024));

        // Returned on another thread, found by the next rent that fits: the smallest that does.
        await Task.Run(() =>
        {
            pool.Return(large, large.Length);
            pool.Return(small, small.Length);
        });

        Assert.Same(small, pool.Rent(50_000));
        Assert.Same(large, pool.Rent(1_000_000));
        Assert.NotSame(large, pool.Rent(1_000_000));
    }

    [Fact]
    public void A_full_pool_frees_its_largest_buffer_at_once()
    {
        // A rare large chunk's buffer is not kept resident for the rest of the backup, nor left for a collection.
        var pool = new BlobBufferPool(capacity: 2);
        var buffers = new[] { pool.Rent(1 << 20), pool.Rent(2 << 20), pool.Rent(4 << 20) };
        foreach (var buffer in buffers)
        {
            pool.Return(buffer, buffer.Length);
        }

        Assert.Throws<ObjectDisposedException>(() => buffers[2].Span.Length);
        Assert.Same(buffers[0], pool.Rent(1));
        Assert.Same(buffers[1], pool.Rent(1));
        Assert.DoesNotContain(pool.Rent(1), buffers);
    }

    [Fact]
    public void A_returned_buffer_keeps_only_the_pages_its_last_use_needed()
    {
        var pool = new BlobBufferPool(capacity: 2, minimumBufferLength: 2 << 20);
        var buffer = pool.Rent(2 << 20);
        buffer.Span.Fill(0xAB);
        pool.Return(buffer, 300_000);

        var again = pool.Rent(300_000);
        Assert.Same(buffer, again);
        Assert.True(again.Span[..300_000].IndexOfAnyExcept((byte)0xAB) < 0);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(again.Span[(384 * 1024)..].IndexOfAnyExcept((byte)0) < 0);
        }
    }

    [Fact]
    public void Disposing_frees_the_kept_buffers_and_any_given_back_later()
    {
        var pool = new BlobBufferPool(capacity: 4);
        var kept = pool.Rent(100_000);
        var outstanding = pool.Rent(100_000);
        outstanding.Span.Fill(7);
        pool.Return(kept, kept.Length);

        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => kept.Span.Length);
        Assert.Equal(7, outstanding.Span[^1]);
        pool.Return(outstanding, outstanding.Length);
        Assert.Throws<ObjectDisposedException>(() => outstanding.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent(1));
    }

    [Fact]
    public void Buffers_are_allocated_at_least_at_the_floor_so_a_few_serve_every_usual_request()
    {
        var pool = new BlobBufferPool(capacity: 2, minimumBufferLength: 2 << 20);
        var first = pool.Rent(600_000);
        var second = pool.Rent(1_500_000);
        Assert.Equal(2 << 20, first.Length);
        Assert.Equal(2 << 20, second.Length);
        pool.Return(first, first.Length);
        pool.Return(second, second.Length);

        // Requests of any usual size reuse the same two buffers, whichever order they come in.
        for (var round = 0; round < 10; round++)
        {
            var a = pool.Rent(1_900_000 - (round * 100_000));
            var b = pool.Rent(500_000 + (round * 100_000));
            Assert.Contains(a, new[] { first, second });
            Assert.Contains(b, new[] { first, second });
            pool.Return(b, b.Length);
            pool.Return(a, a.Length);
        }

        // A request over the floor gets a buffer of its own size, which the full pool then drops.
        var large = pool.Rent(3 << 20);
        Assert.InRange(large.Length, 3 << 20, (3 << 20) + (64 * 1024));
        pool.Return(large, large.Length);
        Assert.NotSame(large, pool.Rent(3 << 20));
        Assert.Contains(pool.Rent(1), new[] { first, second });
    }
}
