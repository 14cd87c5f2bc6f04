using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Retention;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge hold set|clear|list</c>: legal holds, which keep a snapshot from every forget and removal.</summary>
internal static class HoldCommand
{
    internal static Command Create() =>
        new("hold", "Put snapshots under legal hold (no policy or removal deletes them), lift holds, list them.") { SetCommand(), ClearCommand(), ListCommand() };

    private static Command SetCommand()
    {
        var options = new RepositoryOptions();
        var id = new Argument<string>("ID") { Description = "The snapshot's id or a unique prefix." };
        var reason = new Option<string>("--reason") { Description = "Why it is held, for example a case number.", Required = true };
        var command = options.AddTo(new Command("set", "Put a snapshot under legal hold; a hold already standing is left as it is.") { id, reason });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var full = await repository.ResolveSnapshotIdAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
            var hold = await new RepositoryPolicies(repository).SetHoldAsync(full, parse.GetValue(reason)!, Environment.UserName, ct).ConfigureAwait(false);
            await (parse.GetValue(options.Json) ? Output.WriteJsonAsync(parse, hold) : Output.LineAsync(parse, $"held {Line(hold)}")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ClearCommand()
    {
        var options = new RepositoryOptions();
        var id = new Argument<string>("ID") { Description = "The snapshot's id or a unique prefix." };
        var command = options.AddTo(new Command("clear", "Lift a snapshot's legal hold.") { id });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var full = await repository.ResolveSnapshotIdAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
            var lifted = await new RepositoryPolicies(repository).ClearHoldAsync(full, ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, lifted).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, lifted is null ? $"snapshot {full[..8]} had no hold" : $"lifted {Line(lifted)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var options = new RepositoryOptions();
        var command = options.AddTo(new Command("list", "Print every standing legal hold."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var holds = (await new RepositoryPolicies(repository).GetHoldsAsync(ct).ConfigureAwait(false)).Values.OrderBy(hold => hold.SetAt).ToList();
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, holds).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var hold in holds)
            {
                await Output.LineAsync(parse, Line(hold)).ConfigureAwait(false);
            }

            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{holds.Count} hold(s)")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Line(LegalHold hold) =>
        string.Create(CultureInfo.InvariantCulture, $"{hold.SnapshotId[..8]}  {hold.Reason}  (set by {hold.SetBy} at {hold.SetAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})");
}
