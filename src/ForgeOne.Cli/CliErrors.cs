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
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await error.WriteLineAsync($"forge: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.For(ex);
        }
    }
}
