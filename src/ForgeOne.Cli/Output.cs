using System.CommandLine;

namespace ForgeOne.Cli;

/// <summary>Where a command writes: its result as JSON with <c>--json</c>, else text lines.</summary>
internal static class Output
{
    internal static Task WriteJsonAsync<T>(ParseResult parse, T value) =>
        parse.InvocationConfiguration.Output.WriteLineAsync(Json.Serialize(value));

    internal static Task LineAsync(ParseResult parse, string line) =>
        parse.InvocationConfiguration.Output.WriteLineAsync(line);

    internal static Task ErrorAsync(ParseResult parse, string line) =>
        parse.InvocationConfiguration.Error.WriteLineAsync(line);
}
