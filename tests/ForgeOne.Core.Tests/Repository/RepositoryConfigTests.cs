using System.Text;
using System.Text.Json;
using ForgeOne.Core.Chunking;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary>The config document: camelCase JSON, version checked first, values validated.</summary>
public sealed class RepositoryConfigTests
{
    private static readonly string Id = new('a', 64);

    [Fact]
    public void The_config_serialises_to_the_documented_camelCase_json_and_back()
    {
        var config = new RepositoryConfig(Id, new DateTimeOffset(2026, 11, 24, 10, 0, 0, 500, TimeSpan.FromHours(1)),
            ChunkerOptions.Default, RepositoryConfig.DefaultPackSize, 3);

        var json = Encoding.UTF8.GetString(config.ToJson());

        Assert.Equal(
            $"{{\"version\":1,\"id\":\"{Id}\",\"created\":\"2026-11-24T09:00:00Z\"," +
            "\"chunker\":{\"minimumSize\":524288,\"averageSize\":1048576,\"maximumSize\":8388608}," +
            "\"packSize\":16777216,\"compressionLevel\":3}",
            json);
        var parsed = RepositoryConfig.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(config.Created, parsed.Created);
        Assert.Equal(config.Chunker, parsed.Chunker);
        Assert.Equal(config.PackSize, parsed.PackSize);
        Assert.Equal(Id, parsed.Id);
    }

    [Fact]
    public void Another_version_is_unsupported_even_if_the_rest_differs()
    {
        var error = Assert.Throws<UnsupportedFormatException>(
            () => RepositoryConfig.Parse("{\"version\":2,\"somethingNew\":true}"u8));

        Assert.Equal(ObjectKind.Config, error.Kind);
        Assert.Equal("2", error.Found);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"version\":1}")]
    [InlineData("{\"version\":1,\"id\":\"short\",\"created\":\"2026-11-24T10:00:00Z\",\"chunker\":{\"minimumSize\":524288,\"averageSize\":1048576,\"maximumSize\":8388608},\"packSize\":16777216,\"compressionLevel\":3}")]
    [InlineData("{\"version\":1,\"id\":\"ID\",\"created\":\"2026-11-24T10:00:00Z\",\"chunker\":{\"minimumSize\":524288,\"averageSize\":1000000,\"maximumSize\":8388608},\"packSize\":16777216,\"compressionLevel\":3}")]
    [InlineData("{\"version\":1,\"id\":\"ID\",\"created\":\"2026-11-24T10:00:00Z\",\"chunker\":{\"minimumSize\":524288,\"averageSize\":1048576,\"maximumSize\":8388608},\"packSize\":1,\"compressionLevel\":3}")]
    [InlineData("{\"version\":1,\"id\":\"ID\",\"created\":\"2026-11-24T10:00:00Z\",\"chunker\":{\"minimumSize\":524288,\"averageSize\":1048576,\"maximumSize\":8388608},\"packSize\":16777216,\"compressionLevel\":30}")]
    [InlineData("{\"version\":1,\"id\":\"ID\",\"created\":\"yesterday\",\"chunker\":{\"minimumSize\":524288,\"averageSize\":1048576,\"maximumSize\":8388608},\"packSize\":16777216,\"compressionLevel\":3}")]
    public void A_config_that_does_not_parse_or_is_out_of_range_is_malformed(string json)
    {
        var error = Assert.Throws<MalformedObjectException>(
            () => RepositoryConfig.Parse(Encoding.UTF8.GetBytes(json.Replace("ID", Id, StringComparison.Ordinal))));

        Assert.Equal(ObjectKind.Config, error.Kind);
    }

    [Fact]
    public void Unknown_extra_fields_are_ignored()
    {
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(
            RepositoryConfig.CreateNew().ToJson())!;
        var extended = JsonSerializer.SerializeToUtf8Bytes(json.Append(
            new KeyValuePair<string, JsonElement>("future", JsonDocument.Parse("42").RootElement)).ToDictionary());

        Assert.Equal(1, RepositoryConfig.Parse(extended).Version);
    }

    [Fact]
    public void Out_of_range_options_are_refused_when_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepositoryInitOptions { PackSize = 1024 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepositoryInitOptions { PackSize = int.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepositoryInitOptions { CompressionLevel = 0 });
    }
}
