using ForgeOne.Core.FileSystem;

namespace ForgeOne.Core.Tests.FileSystem;

public sealed class ReadAheadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forge-readahead-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_hint_for_a_file_leaves_it_as_it_was()
    {
        var path = Path.Combine(_folder, "data.bin");
        var bytes = new byte[300_000];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        ReadAhead.Request(path, bytes.Length);

        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_missing_or_unreadable_file_is_left_for_the_read_to_report()
    {
        // The backup's own read names the problem as a warning; the hint must not fail first.
        ReadAhead.Request(Path.Combine(_folder, "gone.bin"), 4096);
        ReadAhead.Request(_folder, 4096);
    }
}
