using ForgeOne.Core.Chunking;

namespace ForgeOne.Core.Tests.Chunking;

public sealed class ChunkerOptionsTests
{
    [Fact]
    public void Defaults_are_512_KiB_1_MiB_8_MiB()
    {
        var options = ChunkerOptions.Default;

        Assert.Equal(512 * 1024, options.MinimumSize);
        Assert.Equal(1024 * 1024, options.AverageSize);
        Assert.Equal(8 * 1024 * 1024, options.MaximumSize);
    }

    [Fact]
    public void Options_with_the_same_sizes_are_equal()
    {
        Assert.Equal(new ChunkerOptions(512 * 1024, 1024 * 1024, 8 * 1024 * 1024), ChunkerOptions.Default);
    }

    [Theory]
    [InlineData(1024, 4096, 16384)]
    [InlineData(64, 256, 257)]
    [InlineData(4095, 4096, 4097)]
    [InlineData(32 * 1024 * 1024, 64 * 1024 * 1024, 256 * 1024 * 1024)]
    public void Valid_sizes_are_accepted(int minimum, int average, int maximum)
    {
        var options = new ChunkerOptions(minimum, average, maximum);

        Assert.Equal((minimum, average, maximum), (options.MinimumSize, options.AverageSize, options.MaximumSize));
    }

    [Theory]
    [InlineData(63, 4096, 16384, "minimumSize")]
    [InlineData(1024, 128, 16384, "averageSize")]
    [InlineData(1024, 3000, 16384, "averageSize")]
    [InlineData(1024, 128 * 1024 * 1024, 512 * 1024 * 1024, "averageSize")]
    [InlineData(1024, 4096, (256 * 1024 * 1024) + 1, "maximumSize")]
    public void Size_out_of_bounds_is_rejected_naming_it(int minimum, int average, int maximum, string parameter)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkerOptions(minimum, average, maximum));

        Assert.Equal(parameter, exception.ParamName);
    }

    [Theory]
    [InlineData(4096, 4096, 16384, "minimumSize")]
    [InlineData(8192, 4096, 16384, "minimumSize")]
    [InlineData(1024, 4096, 4096, "maximumSize")]
    [InlineData(1024, 4096, 2048, "maximumSize")]
    public void Sizes_not_strictly_increasing_are_rejected_naming_the_problem(
        int minimum, int average, int maximum, string parameter)
    {
        var exception = Assert.Throws<ArgumentException>(() => new ChunkerOptions(minimum, average, maximum));

        Assert.Equal(parameter, exception.ParamName);
        Assert.Contains("must be less than", exception.Message, StringComparison.Ordinal);
    }
}
