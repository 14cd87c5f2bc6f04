using ForgeOne.Core.Verification;

namespace ForgeOne.Core.Tests.Verification;

public sealed class DataSubsetTests
{
    private static readonly string[] Ids = [.. Enumerable.Range(0, 5000).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))))];

    [Theory]
    [InlineData("1/10")]
    [InlineData(" 3/3 ")]
    [InlineData("5%")]
    [InlineData("0.5%")]
    [InlineData("100%")]
    public void Valid_forms_parse_and_keep_their_text(string text)
    {
        var subset = DataSubset.Parse(text);

        Assert.Equal(text.Trim(), subset.Text);
        Assert.Equal(text.Trim(), subset.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0/10")]
    [InlineData("11/10")]
    [InlineData("1/0")]
    [InlineData("-1/10")]
    [InlineData("1/10/2")]
    [InlineData("a/b")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("-5%")]
    [InlineData("NaN%")]
    [InlineData("five%")]
    [InlineData("10")]
    public void Invalid_forms_are_refused_with_both_forms_shown(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => DataSubset.Parse(text));

        Assert.Contains("K/M", error.Message, StringComparison.Ordinal);
        Assert.Contains("P%", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    public void Slices_one_to_m_cover_every_id_exactly_once(int m)
    {
        var slices = Enumerable.Range(1, m).Select(k => DataSubset.Parse($"{k}/{m}")).ToList();

        foreach (var id in Ids)
        {
            Assert.Equal(1, slices.Count(s => s.Includes(id)));
        }

        // Each slice gets a fair share.
        Assert.All(slices, s => Assert.InRange(Ids.Count(s.Includes), Ids.Length / m * 8 / 10, Ids.Length / m * 12 / 10));
    }

    [Fact]
    public void Selection_depends_only_on_the_id()
    {
        var first = DataSubset.Parse("3/7");
        var second = DataSubset.Parse("3/7");

        Assert.Equal(Ids.Where(first.Includes), Ids.Where(second.Includes));
    }

    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData("50%", 0.5)]
    public void Percent_selects_about_that_share(string text, double share)
    {
        var selected = Ids.Count(DataSubset.Parse(text).Includes);

        Assert.InRange(selected, Ids.Length * share * 0.8, Ids.Length * share * 1.2);
    }

    [Fact]
    public void Smaller_percent_selects_a_subset_of_a_larger_one()
    {
        var small = DataSubset.Parse("5%");
        var large = DataSubset.Parse("20%");

        Assert.All(Ids.Where(small.Includes), id => Assert.True(large.Includes(id)));
    }

    [Fact]
    public void All_and_hundred_percent_include_everything()
    {
        Assert.All(Ids, id => Assert.True(DataSubset.All.Includes(id)));
        Assert.True(DataSubset.Parse("100%").Includes("ffffffff" + new string('f', 56)));
        Assert.True(DataSubset.Parse("1/1").Includes("ffffffff" + new string('f', 56)));
    }
}
