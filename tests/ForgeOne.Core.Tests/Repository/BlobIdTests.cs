using System.Security.Cryptography;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary><see cref="BlobId"/> and <see cref="PackId"/>: hex forms, parsing, ordering and names.</summary>
public sealed class BlobIdTests
{
    private const string Hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    [Fact]
    public void An_id_prints_as_lowercase_hex_and_parses_back_from_either_case()
    {
        var id = new BlobId(Convert.FromHexString(Hex));

        Assert.Equal(Hex, id.ToString());
        Assert.Equal("00010203", id.ShortId);
        Assert.Equal(id, BlobId.Parse(Hex.ToUpperInvariant()));
        Assert.Equal(Convert.FromHexString(Hex), id.ToArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0001")]
    [InlineData("g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")]
    [InlineData("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00")]
    public void Text_that_is_not_64_hex_digits_does_not_parse(string? text)
    {
        Assert.False(BlobId.TryParse(text, out var id));
        Assert.Equal(default, id);
        Assert.False(PackId.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => BlobId.Parse(text));
        }
    }

    [Fact]
    public void Ids_compare_like_their_hex_strings()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => new BlobId(RandomNumberGenerator.GetBytes(32))).ToList();

        var byId = ids.Order().Select(i => i.ToString());
        var byText = ids.Select(i => i.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(byText, byId);
    }

    [Fact]
    public void Equal_bytes_are_equal_ids_with_equal_hash_codes()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var a = new BlobId(bytes);
        var b = new BlobId(bytes);
        bytes[31] ^= 1;
        var c = new BlobId(bytes);

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
        Assert.NotEqual(a, c);
        Assert.Equal(a.CompareTo(c) < 0, a < c);
    }

    [Fact]
    public void An_id_must_be_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => new BlobId(new byte[31]));
        Assert.Throws<ArgumentException>(() => new PackId(new byte[33]));
    }

    [Fact]
    public void Pack_names_fan_out_by_the_first_two_hex_digits()
    {
        var id = PackId.Parse(Hex);

        Assert.Equal($"data/00/{Hex}", RepositoryPaths.Pack(id));
        Assert.Equal($"snapshots/{Hex}", RepositoryPaths.Snapshot(Hex));
        Assert.Equal($"index/{Hex}", RepositoryPaths.Index(Hex));
        Assert.Equal("keys/0123456789abcdef", RepositoryPaths.Key("0123456789abcdef"));
        Assert.Throws<ArgumentException>(() => RepositoryPaths.Snapshot(Hex.ToUpperInvariant()));
    }
}
