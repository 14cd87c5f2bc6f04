using System.Text;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

public sealed class Utf8OrdinalTests
{
    [Fact]
    public void Order_equals_comparing_utf8_bytes_on_random_strings()
    {
        // Characters from every UTF-8 length class, around the surrogate range, and '/' and '.'.
        string[] alphabet = ["a", "A", "/", ".", " ", "-", "é", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFB01", "\uFFFD", "\uFFFF", "😀", "\U00010000", "\U0010FFFF"];
        var random = new Random(42);
        for (var i = 0; i < 20000; i++)
        {
            var x = Make(random, alphabet);
            var y = Make(random, alphabet);
            var expected = Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));
            Assert.Equal(expected, Math.Sign(Utf8Ordinal.Instance.Compare(x, y)));
        }
    }

    [Fact]
    public void Path_order_puts_dot_before_slash_and_upper_case_first()
    {
        string[] paths = ["a/b", "a.txt", "a", "B", "a b", "a0", "é", "\uFB01", "😀"];
        Array.Sort(paths, Utf8Ordinal.Instance);
        Assert.Equal(["B", "a", "a b", "a.txt", "a/b", "a0", "é", "\uFB01", "😀"], paths);
    }

    private static string Make(Random random, string[] alphabet)
    {
        var builder = new StringBuilder();
        for (var n = random.Next(0, 5); n > 0; n--)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }
}
