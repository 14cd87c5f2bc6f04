using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Drills;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge drill run|list</c>: disaster-recovery drills, recorded in the repository for evidence.</summary>
internal static class DrillCommand
{
    internal static Command Create() =>
        new("drill", "Run a disaster-recovery drill (restore, verify, validate, measure RTO and RPO) and list recorded drills.") { RunCommand(), ListCommand() };

    private static Command RunCommand()
    {
        var options = new RepositoryOptions();
        var storeOptions = StoreOptions.BesideRepository();
        var snapshot = new Option<string>("--snapshot", "-s") { Description = "Snapshot id, unique prefix, or 'latest'.", DefaultValueFactory = _ => "latest" };
        var scratch = new Option<string?>("--scratch") { Description = "Empty folder to restore into, removed afterwards (default: a new folder under the temporary folder)." };
        var rpo = Durations.Option("--rpo", "Recovery point objective: the snapshot may be at most this old");
        var rto = Durations.Option("--rto", "Recovery time objective: restore and every check must finish within this");
        var validate = new Option<string?>("--validate-cmd") { Description = $"Shell command run in the restored folder (sh -c on Unix, cmd /c on Windows), its path also in ${ShellValidation.PathVariable}; exit status 0 passes." };
        var command = options.AddTo(new Command("run", "Restore a snapshot into a scratch folder, check its DNA (and a store backup's databases), run --validate-cmd, hold it to --rpo and --rto, record the result. Exit 3 when a check failed.")
        {
            snapshot, scratch, rpo, rto, validate, storeOptions.KeyFile,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);

            // Only a store backup uses the store's credentials (to check its databases' logical DNA); without any, the
            // drill runs SQLite's integrity check alone. They resolve as every store command's do, never by a prompt.
            using var storeCredentials = ForgeEnvironment.ResolveStoreCredentials([], parse.GetValue(storeOptions.KeyFile));
            var drillOptions = new DrDrillOptions
            {
                SnapshotId = parse.GetValue(snapshot),
                Scratch = parse.GetValue(scratch),
                RpoObjective = Durations.Get(parse, rpo),
                RtoObjective = Durations.Get(parse, rto),
                Validation = parse.GetValue(validate) is { } shell ? ShellValidation.For(shell) : null,
                StoreCredentials = storeCredentials,
            };
            using var progress = TerminalProgress.ForConsole();
            var result = await DrDrillRunner.RunAsync(repository, drillOptions, progress, ct).ConfigureAwait(false);
            progress?.Dispose();
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            }
            else
            {
                foreach (var check in result.Checks)
                {
                    await Output.LineAsync(parse, $"{(check.Passed ? "passed" : "FAILED"),-6}  {check.Name}: {check.Detail}").ConfigureAwait(false);
                }

                await Output.LineAsync(parse, Summary(result)).ConfigureAwait(false);
            }

            return result.Passed ? ExitCodes.Success : ExitCodes.DamageFound;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var options = new RepositoryOptions();
        var command = options.AddTo(new Command("list", "Print every recorded drill, oldest first."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var drills = await DrDrillRunner.ListAsync(repository, ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, drills).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var drill in drills)
            {
                await Output.LineAsync(parse, Summary(drill) + (drill.Passed ? "" : "; failed: " + string.Join(", ", drill.Failures.Select(check => check.Name)))).ConfigureAwait(false);
            }

            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{drills.Count} drill(s)")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Summary(DrDrillResult drill) => string.Create(CultureInfo.InvariantCulture,
        $"drill {drill.Id} {(drill.Passed ? "passed" : "FAILED")}: snapshot {drill.SnapshotId[..8]} on {drill.Host}, {drill.Files} files, {TerminalProgress.Size(drill.Bytes)}, RTO {Durations.Format(Whole(drill.Rto))}{Objective(drill.RtoObjective)}, RPO {Durations.Format(Whole(drill.Rpo))}{Objective(drill.RpoObjective)}");

    private static string Objective(TimeSpan? objective) => objective is { } value ? $" (objective {Durations.Format(value)})" : "";

    private static TimeSpan Whole(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(0, Math.Round(span.TotalSeconds)));
}
