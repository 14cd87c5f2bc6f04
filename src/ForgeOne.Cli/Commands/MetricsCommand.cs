using System.CommandLine;
using ForgeOne.Core.Monitoring;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge metrics</c>: Prometheus text exposition of the repository's state.</summary>
internal static class MetricsCommand
{
    internal static Command Create()
    {
        var options = new RepositoryOptions();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file atomically (temporary name, then rename), for node_exporter's textfile collector; default standard output." };
        var command = options.AddTo(new Command("metrics", "Print the repository's metrics (snapshot ages, sizes, drills, checks) in Prometheus text format.") { output }, json: false);
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            if (parse.GetValue(output) is { } path)
            {
                await RepositoryMetrics.WriteAsync(repository, path, ct).ConfigureAwait(false);
                await Output.ErrorAsync(parse, $"wrote {Path.GetFullPath(path)}").ConfigureAwait(false);
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteAsync(await RepositoryMetrics.RenderAsync(repository, DateTimeOffset.UtcNow, ct).ConfigureAwait(false)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
