using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Prune;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge prune</c>: delete packs no snapshot uses and rewrite mostly unused ones (Core's kill-safe order).</summary>
internal static class PruneCommand
{
    internal static Command Create()
    {
        var options = new RepositoryOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would be freed, deleted and rewritten; change nothing." };
        var repackBelow = RepackBelowOption();
        var command = options.AddTo(new Command("prune", "Remove data no snapshot uses: delete packs with no used blob, rewrite packs whose used share is below --repack-below. Safe to kill at any moment.")
        {
            dryRun, repackBelow,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var result = await RunAsync(repository, Options(parse, repackBelow, parse.GetValue(dryRun)), ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, Describe(result)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The <c>--repack-below</c> option, shared with <c>forge forget --prune</c>.</summary>
    internal static Option<double> RepackBelowOption()
    {
        var option = new Option<double>("--repack-below") { Description = "Rewrite a pack still in use when its used share of bytes is below this: 0 never rewrites, 1 rewrites every pack with an unused blob.", DefaultValueFactory = _ => new PruneOptions().RepackBelowUsage };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 1 or double.NaN)
            {
                result.AddError("--repack-below is a share from 0 to 1, for example 0.8.");
            }
        });
        return option;
    }

    internal static PruneOptions Options(ParseResult parse, Option<double> repackBelow, bool dryRun) =>
        new() { RepackBelowUsage = parse.GetValue(repackBelow), DryRun = dryRun };

    internal static async Task<PruneResult> RunAsync(Core.Repository.Repository repository, PruneOptions options, CancellationToken cancellationToken)
    {
        using var progress = TerminalProgress.ForConsole();
        var result = await RepositoryPruner.PruneAsync(repository, options, progress, cancellationToken).ConfigureAwait(false);
        progress?.Dispose();
        return result;
    }

    internal static string Describe(PruneResult result) => result.DryRun
        ? string.Create(CultureInfo.InvariantCulture, $"would free {TerminalProgress.Size(result.BytesFreed)}: {result.PacksDeleted} of {result.PacksBefore} packs deleted, {result.PacksRewritten} rewritten ({TerminalProgress.Size(result.BytesRepacked)} copied), {result.BlobsRemoved} unused blobs removed, {TerminalProgress.Size(result.BytesUnusedLeft)} unused left; {result.Snapshots} snapshots kept; nothing changed (--dry-run)")
        : string.Create(CultureInfo.InvariantCulture, $"freed {TerminalProgress.Size(result.BytesFreed)}: {result.PacksDeleted} of {result.PacksBefore} packs deleted, {result.PacksRewritten} rewritten, {result.PacksWritten} written ({TerminalProgress.Size(result.BytesRepacked)} copied), {result.BlobsRemoved} unused blobs removed, {TerminalProgress.Size(result.BytesUnusedLeft)} unused left, {result.IndexFilesReplaced} index files replaced; {result.Snapshots} snapshots kept; in {result.Duration.TotalSeconds:0.0}s");
}
