using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Prune;
using ForgeOne.Core.Retention;

namespace ForgeOne.Cli.Commands;

/// <summary>
/// <c>forge forget [ID...]</c>: remove the snapshots named, or those the retention policy does not keep; never one
/// under legal hold. <c>--prune</c> then removes the data they alone used.
/// </summary>
internal static class ForgetCommand
{
    internal static Command Create()
    {
        var options = new RepositoryOptions();
        var rules = new RetentionOptions();
        var ids = new Argument<string[]>("ID") { Description = "Snapshots to remove (ids or unique prefixes); none applies the retention policy.", Arity = ArgumentArity.ZeroOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print every snapshot with keep or remove and the rules that keep it; change nothing." };
        var prune = new Option<bool>("--prune") { Description = "Then prune: remove the data no remaining snapshot uses." };
        var repackBelow = PruneCommand.RepackBelowOption();
        var command = rules.AddTo(options.AddTo(new Command("forget", "Remove snapshots: the ones named, or, with none named, those the stored retention policy (or the --keep-* rules given) does not keep. Snapshots under legal hold are never removed.")
        {
            ids, dryRun, prune, repackBelow,
        }));
        command.Validators.Add(result =>
        {
            if ((result.GetValue(ids)?.Length ?? 0) > 0 && rules.AnyGiven(result))
            {
                result.AddError("Give snapshot ids or --keep-* rules, not both: ids are removed as named, rules choose what to keep.");
            }
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var json = parse.GetValue(options.Json);
            var named = parse.GetValue(ids) ?? [];
            var exitCode = named.Length > 0
                ? await RemoveNamedAsync(parse, repository, named, parse.GetValue(dryRun), json, ct).ConfigureAwait(false)
                : await ApplyPolicyAsync(parse, repository, rules.AnyGiven(parse) ? rules.Policy(parse) : null, parse.GetValue(dryRun), json, ct).ConfigureAwait(false);
            if (parse.GetValue(prune) && !parse.GetValue(dryRun))
            {
                var result = await PruneCommand.RunAsync(repository, PruneCommand.Options(parse, repackBelow, dryRun: false), ct).ConfigureAwait(false);
                await (json ? Output.WriteJsonAsync(parse, result) : Output.LineAsync(parse, PruneCommand.Describe(result))).ConfigureAwait(false);
            }

            return exitCode;
        }));
        return command;
    }

    private static async Task<int> ApplyPolicyAsync(ParseResult parse, Core.Repository.Repository repository, RetentionPolicy? policy, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        var plan = await SnapshotForgetter.PlanAsync(repository, policy, cancellationToken).ConfigureAwait(false);
        if (dryRun)
        {
            if (json)
            {
                await Output.WriteJsonAsync(parse, plan).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await Output.LineAsync(parse, $"policy: {plan.Policy}; grouped by {RetentionOptions.Describe(plan.Policy.GroupBy)}").ConfigureAwait(false);
            string? group = null;
            foreach (var decision in plan.Decisions.OrderBy(d => d.Group, StringComparer.Ordinal).ThenByDescending(d => d.Time))
            {
                if (decision.Group != group)
                {
                    group = decision.Group;
                    await Output.LineAsync(parse, $"group {(group.Length == 0 ? "(all)" : group)}:").ConfigureAwait(false);
                }

                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"  {(decision.Keep ? "keep" : "remove"),-6}  {decision.Snapshot.ShortId}  {decision.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {(decision.Keep ? string.Join(", ", decision.Reasons) : "")}").TrimEnd()).ConfigureAwait(false);
            }

            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{plan.Kept.Count} kept, {plan.Removed.Count} to remove; nothing removed (--dry-run)")).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var result = await SnapshotForgetter.ForgetAsync(repository, plan, null, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        foreach (var id in result.Removed)
        {
            await Output.LineAsync(parse, $"removed {id[..8]}").ConfigureAwait(false);
        }

        foreach (var id in result.SparedByHold)
        {
            await Output.LineAsync(parse, $"kept {id[..8]}: put under legal hold while forget ran").ConfigureAwait(false);
        }

        await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{result.Removed.Count} removed, {plan.Kept.Count + result.SparedByHold.Count} kept (policy: {plan.Policy}) in {result.Duration.TotalSeconds:0.0}s")).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    // One held snapshot does not stop the others: each named snapshot is removed or refused on its own, and the exit
    // code says whether any was refused.
    private static async Task<int> RemoveNamedAsync(ParseResult parse, Core.Repository.Repository repository, string[] ids, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        var holds = await new RepositoryPolicies(repository).GetHoldsAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        var refused = new List<LegalHold>();
        foreach (var given in ids)
        {
            if (dryRun)
            {
                var id = await repository.ResolveSnapshotIdAsync(given, cancellationToken).ConfigureAwait(false);
                if (holds.TryGetValue(id, out var hold))
                {
                    refused.Add(hold);
                    await Output.ErrorAsync(parse, $"forge: {new LegalHoldException(hold).Message}").ConfigureAwait(false);
                }
                else
                {
                    removed.Add(id);
                }

                continue;
            }

            try
            {
                removed.Add(await SnapshotForgetter.RemoveAsync(repository, given, cancellationToken).ConfigureAwait(false));
            }
            catch (LegalHoldException ex)
            {
                refused.Add(ex.Hold);
                await Output.ErrorAsync(parse, $"forge: {CliErrors.OneLine(ex)}").ConfigureAwait(false);
            }
        }

        if (json)
        {
            await Output.WriteJsonAsync(parse, new { dryRun, removed, refused }).ConfigureAwait(false);
        }
        else
        {
            foreach (var id in removed)
            {
                await Output.LineAsync(parse, $"{(dryRun ? "would remove" : "removed")} {id[..8]}").ConfigureAwait(false);
            }
        }

        return refused.Count > 0 ? ExitCodes.LegalHold : ExitCodes.Success;
    }
}
