using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Verification;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge snapshot verify</c> and <c>forge check</c>: exit code 3 when damage is found.</summary>
internal static class CheckCommands
{
    internal static Command Snapshot()
    {
        var options = new RepositoryOptions();
        var snapshot = new Option<string>("--snapshot", "-s") { Description = "Snapshot id, unique prefix, or 'latest'.", DefaultValueFactory = _ => "latest" };
        var readData = new Option<bool>("--read-data") { Description = "Also read, authenticate and hash every chunk, and recompute the DNA from the data." };
        var subset = new Option<string?>("--read-data-subset") { Description = "Read only part of the data: K/M or P%." };
        var verify = options.AddTo(new Command("verify", "Check that a snapshot is complete and intact, and its DNA still matches.") { snapshot, readData, subset });
        verify.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var chosen = await SnapshotStore.LoadAsync(repository, parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            using var progress = TerminalProgress.ForConsole();
            var result = await SnapshotVerifier.VerifyAsync(repository, chosen, Subset(parse.GetValue(readData), parse.GetValue(subset)), progress, ct).ConfigureAwait(false);
            progress?.Dispose();
            await ReportAsync(parse, options, result, result.Problems, $"snapshot {chosen.ShortId}: {result.ChunksChecked} chunks checked, {TerminalProgress.Size(result.BytesRead)} read, DNA {result.DnaActual}").ConfigureAwait(false);
            return result.Passed ? ExitCodes.Success : ExitCodes.DamageFound;
        }));

        return new Command("snapshot", "Verify snapshots.") { verify };
    }

    internal static Command Check()
    {
        var options = new RepositoryOptions();
        var readData = new Option<bool>("--read-data") { Description = "Also read every pack, check its hash and authenticate every blob." };
        var subset = new Option<string?>("--read-data-subset") { Description = "Read only part of the packs: K/M (e.g. 1/10) or P% (e.g. 5%)." };
        var check = options.AddTo(new Command("check", "Check the repository's structure and, optionally, its data.") { readData, subset });
        check.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            using var progress = TerminalProgress.ForConsole();
            var result = await RepositoryChecker.CheckAsync(repository, Subset(parse.GetValue(readData), parse.GetValue(subset)), progress, ct).ConfigureAwait(false);
            progress?.Dispose();
            await ReportAsync(parse, options, result, result.Problems, string.Create(CultureInfo.InvariantCulture,
                $"{result.Snapshots} snapshots, {result.Packs} packs ({result.PacksRead} read, {TerminalProgress.Size(result.BytesRead)}), {result.UnreferencedPacks} unreferenced")).ConfigureAwait(false);
            return result.Passed ? ExitCodes.Success : ExitCodes.DamageFound;
        }));
        return check;
    }

    private static DataSubset? Subset(bool readData, string? subset) =>
        subset is not null ? DataSubset.Parse(subset) : readData ? DataSubset.All : null;

    private static async Task ReportAsync<T>(ParseResult parse, RepositoryOptions options, T result, IReadOnlyList<VerificationProblem> problems, string summary)
    {
        if (parse.GetValue(options.Json))
        {
            await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            return;
        }

        foreach (var problem in problems)
        {
            await Output.LineAsync(parse, $"{problem.Kind}: {problem.Message}").ConfigureAwait(false);
            foreach (var path in problem.Paths)
            {
                await Output.LineAsync(parse, $"    affects {path}").ConfigureAwait(false);
            }
        }

        await Output.LineAsync(parse, (problems.Count == 0 ? "no problems found; " : $"{problems.Count} problem(s) found; ") + summary).ConfigureAwait(false);
    }
}
