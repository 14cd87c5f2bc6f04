using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

public sealed class SnapshotTests
{
    private const string Id = "3f2a91c07d1e4b60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718";
    private const string TreeId = "9b1d2e3f4a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5";

    private static Snapshot Example() => new()
    {
        Time = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero),
        EndTime = new DateTimeOffset(2026, 11, 24, 10, 1, 30, 500, TimeSpan.Zero),
        Host = "build01",
        User = "alice",
        Paths = ["/home/alice"],
        Tags = ["daily"],
        Tree = TreeId,
        Files = 3,
        Directories = 1,
        LogicalBytes = 9,
        AddedBytes = 9,
        StoredBytes = 1234,
        DnaHash = "eee7cdcb8c5ebe8a54580a7de5504b0554facf3a7d51a36330e64189ea38bdeb",
    };

    [Fact]
    public void Design_document_example_round_trips()
    {
        var expected = RepositoryFiles.FencedBlock(RepositoryFiles.DesignDocument, "**Snapshot JSON**", "json").TrimEnd('\n');

        Assert.Equal(expected, Encoding.UTF8.GetString(Example().ToJson()));
        Assert.Equal(Example() with { Id = Id }, Snapshot.FromJson(Encoding.UTF8.GetBytes(expected), Id));
    }

    [Fact]
    public void Every_field_round_trips_and_the_id_is_not_in_the_json()
    {
        var snapshot = Example() with
        {
            Id = Id,
            Time = new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567),
            Paths = ["/home/alice", "C:\\Users\\Alice \"A\"", "/tmp/é😀"],
            Tags = [],
            Parent = TreeId,
            DnaHash = null,
            Warnings = ["'/dev/fifo' is a FIFO and was skipped", "line\nfeed"],
            AuditHead = "reserved",
        };

        var json = snapshot.ToJson();
        var parsed = Snapshot.FromJson(json, Id);

        Assert.Equal(snapshot, parsed);
        Assert.Equal(json, parsed.ToJson());
        Assert.DoesNotContain(Id, Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Contains("\"dnaHash\":null", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, parsed.Time.Offset);
        Assert.Equal("3f2a91c0", parsed.ShortId);
        Assert.Equal(TimeSpan.FromSeconds(90.5), Example().Duration);
    }

    [Fact]
    public void Unsaved_snapshot_has_no_id()
    {
        Assert.Null(Example().Id);
        Assert.Null(Example().ShortId);
    }

    [Fact]
    public void Lists_are_copied_and_read_only()
    {
        var tags = new List<string> { "a" };
        var snapshot = Example() with { Tags = tags };
        tags.Add("b");

        Assert.Equal(["a"], snapshot.Tags);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)snapshot.Tags).Add("c"));
    }

    [Fact]
    public void Invalid_values_are_refused_when_set()
    {
        Assert.Throws<ArgumentException>(() => Example() with { Id = "ABC" });
        Assert.Throws<ArgumentException>(() => Example() with { Tree = TreeId.ToUpperInvariant() });
        Assert.Throws<ArgumentException>(() => Example() with { Parent = "" });
        Assert.Throws<ArgumentException>(() => Example() with { DnaHash = TreeId[..63] });
        Assert.Throws<ArgumentOutOfRangeException>(() => Example() with { Files = -1 });
        Assert.Throws<ArgumentException>(() => Example() with { Host = "bad\uD800" });
        Assert.Throws<ArgumentException>(() => Example() with { Tags = [null!] });
    }

    [Fact]
    public void From_json_wants_a_valid_id()
    {
        var json = Example().ToJson();
        Assert.Throws<ArgumentException>(() => Snapshot.FromJson(json, "snapshot"));
        Assert.Throws<ArgumentNullException>(() => Snapshot.FromJson(json, null!));
    }

    public static TheoryData<string, string, string> BrokenFields() => new()
    {
        { "missing tree", "\"tree\":\"" + TreeId + "\",", "" },
        { "short tree id", TreeId, TreeId[..60] },
        { "negative files", "\"files\":3", "\"files\":-3" },
        { "time without fraction", "10:00:00.0000000Z", "10:00:00Z" },
        { "paths not an array", "[\"/home/alice\"]", "\"/home/alice\"" },
        { "tag not a string", "[\"daily\"]", "[1]" },
        { "not json", "}", "" },
        { "duplicate field", "\"host\":\"build01\"", "\"host\":\"build01\",\"host\":\"other\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public void Malformed_snapshots_are_refused_with_the_snapshot_named(string what, string find, string replace)
    {
        var json = Encoding.UTF8.GetString(Example().ToJson());
        Assert.Contains(find, json, StringComparison.Ordinal);
        var broken = Encoding.UTF8.GetBytes(json.Replace(find, replace, StringComparison.Ordinal));

        var exception = Assert.Throws<MalformedObjectException>(() => Snapshot.FromJson(broken, Id));
        Assert.Equal(ObjectKind.Snapshot, exception.Kind);
        Assert.Equal(Id, exception.ObjectId);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void Another_version_is_unsupported()
    {
        var json = Encoding.UTF8.GetString(Example().ToJson()).Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal);
        var exception = Assert.Throws<UnsupportedFormatException>(() => Snapshot.FromJson(Encoding.UTF8.GetBytes(json), Id));
        Assert.Equal("snapshot version", exception.Feature);
    }

    [Fact]
    public void Absent_nullable_fields_read_as_null()
    {
        var json = Encoding.UTF8.GetString(Example().ToJson())
            .Replace("\"parent\":null,", "", StringComparison.Ordinal)
            .Replace(",\"auditHead\":null", "", StringComparison.Ordinal);
        var parsed = Snapshot.FromJson(Encoding.UTF8.GetBytes(json), Id);
        Assert.Null(parsed.Parent);
        Assert.Null(parsed.AuditHead);
    }
}
