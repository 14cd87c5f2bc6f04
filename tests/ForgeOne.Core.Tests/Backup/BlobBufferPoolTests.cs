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
    public void A_full_pool_keeps_its_largest_arrays()
    {
        var pool = new BlobBufferPool(capacity: 2);
        var arrays = new[] { pool.Rent(1 << 20), pool.Rent(2 << 20), pool.Rent(4 << 20) };
        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        Assert.Same(arrays[1], pool.Rent(1));
        Assert.Same(arrays[2], pool.Rent(1));
        Assert.DoesNotContain(pool.Rent(1), arrays);
    }
}
