namespace ForgeOne.Cli;

/// <summary>Runs a command body and turns failures into one line on stderr and an exit code.</summary>
internal static class CliErrors
{
    internal static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Only Ctrl+C or SIGTERM cancels a command; "A task was canceled." would not say so.
            await error.WriteLineAsync("forge: stopped by Ctrl+C or SIGTERM.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await error.WriteLineAsync($"forge: {OneLine(ex)}").ConfigureAwait(false);
            return ExitCodes.For(ex);
        }
    }

    // ArgumentException appends " (Parameter 'paths')" and, when out of range, a line "Actual value was 0.": the first
    // names a C# parameter the user never saw, the second breaks the one-line promise of docs/cli.md.
    internal static string OneLine(Exception exception)
    {
        var message = exception.Message;
        if (exception is ArgumentException { ParamName: { } name })
        {
            var suffix = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            if (suffix >= 0)
            {
                message = message[..suffix];
            }
        }

        return message.ReplaceLineEndings(" ");
    }
}
