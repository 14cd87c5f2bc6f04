using ForgeOne.Core.Backup;

namespace ForgeOne.Core.Tests.Backup;

public sealed class BlobBufferPoolTests
{
    [Fact]
    public async Task A_returned_array_is_rented_again_from_any_thread_best_fit_first()
    {
        var pool = new BlobBufferPool(capacity: 4);
        var small = pool.Rent(100_000);
        var large = pool.Rent(3_000_000);
        Assert.Equal(0, small.Length % (64 * 1024));
        Assert.InRange(large.Length, 3_000_000, 3_000_000 + (64 * 1024));

        // Returned on another thread, found by the next rent that fits: the smallest that does.
        await Task.Run(() =>
        {
            pool.Return(large);
            pool.Return(small);
        });

        Assert.Same(small, pool.Rent(50_000));
        Assert.Same(large, pool.Rent(1_000_000));
        Assert.NotSame(large, pool.Rent(1_000_000));
    }

    [Fact]
    public void A_full_pool_lets_its_largest_array_go()
    {
        // A rare large chunk's array is not kept resident for the rest of the backup.
        var pool = new BlobBufferPool(capacity: 2);
        var arrays = new[] { pool.Rent(1 << 20), pool.Rent(2 << 20), pool.Rent(4 << 20) };
        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        Assert.Same(arrays[0], pool.Rent(1));
        Assert.Same(arrays[1], pool.Rent(1));
        Assert.DoesNotContain(pool.Rent(1), arrays);
    }

    [Fact]
    public void Arrays_are_allocated_at_least_at_the_floor_so_a_few_serve_every_usual_request()
    {
        var pool = new BlobBufferPool(capacity: 2, minimumArrayLength: 2 << 20);
        var first = pool.Rent(600_000);
        var second = pool.Rent(1_500_000);
        Assert.Equal(2 << 20, first.Length);
        Assert.Equal(2 << 20, second.Length);
        pool.Return(first);
        pool.Return(second);

        // Requests of any usual size reuse the same two arrays, whichever order they come in.
        for (var round = 0; round < 10; round++)
        {
            var a = pool.Rent(1_900_000 - (round * 100_000));
            var b = pool.Rent(500_000 + (round * 100_000));
            Assert.Contains(a, new[] { first, second });
            Assert.Contains(b, new[] { first, second });
            pool.Return(b);
            pool.Return(a);
        }

        // A request over the floor gets an array of its own size, which the full pool then drops.
        var large = pool.Rent(3 << 20);
        Assert.InRange(large.Length, 3 << 20, (3 << 20) + (64 * 1024));
        pool.Return(large);
        Assert.NotSame(large, pool.Rent(3 << 20));
        Assert.Contains(pool.Rent(1), new[] { first, second });
    }
}
