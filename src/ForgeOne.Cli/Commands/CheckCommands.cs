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
        var storeOptions = StoreOptions.BesideRepository();
        var snapshot = new Option<string>("--snapshot", "-s") { Description = "Repository snapshot id, unique prefix, or 'latest'; or a store snapshot set id such as 20251124T142600Z-3fa1 (or a prefix of it through the T).", DefaultValueFactory = _ => "latest" };
        var readData = new Option<bool>("--read-data") { Description = "Also read, authenticate and hash every chunk, and recompute the DNA from the data." };
        var subset = new Option<string?>("--read-data-subset") { Description = "Read only part of the data: K/M or P%." };
        var database = new Option<string?>("--db", "--database") { Description = "With a store snapshot id: check only this database of the set, for example system.redb." };
        var verify = options.AddTo(new Command("verify", "Check that a repository snapshot is complete and intact and its DNA still matches, or that a store snapshot passes SQLite's integrity check and has its recorded logical DNA.")
        {
            snapshot, readData, subset, database, storeOptions.Store, storeOptions.KeyFile,
        });
        verify.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var id = parse.GetValue(snapshot)!;
            if (StoreSnapshotCommands.IsStoreSnapshotId(id))
            {
                if (parse.GetValue(readData) || parse.GetValue(subset) is not null)
                {
                    throw new ArgumentException("--read-data and --read-data-subset apply to repository snapshots; a store snapshot check always reads the whole file.");
                }

                return await StoreSnapshotCommands.VerifyAsync(parse, storeOptions, options.Json, id, parse.GetValue(database), ct).ConfigureAwait(false);
            }

            if (parse.GetValue(database) is not null)
            {
                throw new ArgumentException($"--db picks a database of a store snapshot set; '{id}' is not a store snapshot id (yyyyMMddTHHmmssZ-xxxx, see 'forge snapshot list').");
            }

            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var chosen = await SnapshotStore.LoadAsync(repository, parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            using var progress = TerminalProgress.ForConsole();
            var result = await SnapshotVerifier.VerifyAsync(repository, chosen, Subset(parse.GetValue(readData), parse.GetValue(subset)), progress, ct).ConfigureAwait(false);
            progress?.Dispose();
            await ReportAsync(parse, options, result, result.Problems, $"snapshot {chosen.ShortId}: {result.ChunksChecked} chunks checked, {TerminalProgress.Size(result.BytesRead)} read, DNA {result.DnaActual}").ConfigureAwait(false);
            return result.Passed ? ExitCodes.Success : ExitCodes.DamageFound;
        }));

        return new Command("snapshot", "Snapshot a store's databases, list those snapshots, and verify store or repository snapshots.")
        {
            StoreSnapshotCommands.CreateCommand(), StoreSnapshotCommands.ListCommand(), verify,
        };
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
