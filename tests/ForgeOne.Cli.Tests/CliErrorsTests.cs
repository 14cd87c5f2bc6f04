namespace ForgeOne.Cli.Tests;

public sealed class CliErrorsTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-errors-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Out_of_range_value_is_one_line_without_the_CSharp_parameter_name()
    {
        var repository = TestRepository.Init(_scratch["repo"]);

        var list = repository.Run("backup", "list", "--latest", "0").Expect(ExitCodes.Usage);

        Assert.Single(list.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("forge: ", list.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_argument_message_keeps_its_advice_and_drops_the_parameter_name()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        var data = _scratch["data"];
        Directory.CreateDirectory(data);

        var create = repository.Run("backup", "create", data, data).Expect(ExitCodes.Usage);

        Assert.Equal("forge: Two paths end in 'data', so they would clash at the top of the snapshot; back them up separately or give their common folder.\n", create.Error);
    }

    [Fact]
    public void Messages_are_flattened_to_one_line()
    {
        Assert.Equal("first second", CliErrors.OneLine(new InvalidOperationException("first\nsecond")));
        Assert.Equal("Bad value.", CliErrors.OneLine(new ArgumentOutOfRangeException("count", 0, "Bad value.")));
    }
}
