using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Retention;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge policy set|show</c>: the repository's retention policy and its history.</summary>
internal static class PolicyCommand
{
    internal static Command Create() =>
        new("policy", "Set or show the repository's retention policy (what 'forge forget' keeps); every version is kept with who set it.") { SetCommand(), ShowCommand() };

    private static Command SetCommand()
    {
        var options = new RepositoryOptions();
        var rules = new RetentionOptions();
        var command = rules.AddTo(options.AddTo(new Command("set", "Store a new retention policy, in force from now on. The rules given replace the whole previous policy.")));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var policy = rules.Policy(parse);
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var version = await new RepositoryPolicies(repository).SetRetentionPolicyAsync(policy, Environment.UserName, ct).ConfigureAwait(false);
            await (parse.GetValue(options.Json) ? Output.WriteJsonAsync(parse, version) : Output.LineAsync(parse, Line(version))).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ShowCommand()
    {
        var options = new RepositoryOptions();
        var command = options.AddTo(new Command("show", "Print the retention policy in force and every earlier version."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var history = await new RepositoryPolicies(repository).GetRetentionHistoryAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, new { policy = history.Count > 0 ? history[^1] : null, history }).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (history.Count == 0)
            {
                await Output.LineAsync(parse, "no retention policy (never set): 'forge forget' without ids needs --keep-* rules").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await Output.LineAsync(parse, "in force: " + Line(history[^1])).ConfigureAwait(false);
            foreach (var version in history.Reverse().Skip(1))
            {
                await Output.LineAsync(parse, "earlier:  " + Line(version)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Line(RetentionPolicyVersion version) => string.Create(CultureInfo.InvariantCulture,
        $"version {version.Version}: {version.Policy}; grouped by {RetentionOptions.Describe(version.Policy.GroupBy)} (set by {version.ChangedBy} at {version.ChangedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})");
}
