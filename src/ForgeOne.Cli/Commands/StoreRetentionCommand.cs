using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Retention;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge store retention show|set|run</c>: how long a store keeps logs, events and blobs, and the purge.</summary>
internal static class StoreRetentionCommand
{
    private const string AgeHelp = Durations.Help + ", or 'forever' to keep them";

    internal static Command Create() =>
        new("retention", "Show or set how long the store keeps logs, events and blobs, and delete what is older.") { ShowCommand(), SetCommand(), RunCommand() };

    private static Command ShowCommand()
    {
        var options = new StoreOptions();
        var command = options.AddTo(new Command("show", "Print the retention policy and who set it."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            StoreRetentionPolicy policy;
            Core.Store.Settings.StoreSetting? setting;
            using (var store = options.Open(parse))
            {
                policy = store.Retention.GetPolicy();
                setting = store.Settings.Get(StoreRetention.PolicySettingName);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, policy).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WritePolicyAsync(parse, policy).ConfigureAwait(false);
            await Output.LineAsync(parse, setting is null
                ? "(never set: everything is kept)"
                : string.Create(CultureInfo.InvariantCulture, $"(version {setting.Version}, set by {setting.ChangedBy} at {setting.ChangedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command SetCommand()
    {
        var options = new StoreOptions();
        var logs = AgeOption("--logs", "Oldest log entry kept, by its timestamp");
        var events = AgeOption("--events", "Oldest event kept, by its timestamp");
        var blobs = AgeOption("--blobs", "Oldest blob kept, by its creation time");
        var command = options.AddTo(new Command("set", "Change the maximum age of the kinds given; the others keep theirs. Each change is kept, with who made it, in the store's settings history.") { logs, events, blobs });
        command.Validators.Add(result =>
        {
            if (result.GetResult(logs) is null && result.GetResult(events) is null && result.GetResult(blobs) is null)
            {
                result.AddError("Give at least one of --logs, --events, --blobs (for example --logs 30d).");
            }
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            StoreRetentionPolicy policy;
            using (var store = options.Open(parse))
            {
                var current = store.Retention.GetPolicy();
                policy = current with
                {
                    Logs = AgeOf(parse, logs, current.Logs),
                    Events = AgeOf(parse, events, current.Events),
                    Blobs = AgeOf(parse, blobs, current.Blobs),
                };
                store.Retention.SetPolicy(policy, Environment.UserName);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, policy).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WritePolicyAsync(parse, policy).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RunCommand()
    {
        var options = new StoreOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list, per database, what would be deleted; change nothing." };
        var command = options.AddTo(new Command("run", "Delete the log entries, events and blobs older than the policy allows (plan first, then delete in batches).") { dryRun });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            using var store = options.Open(parse);
            var plan = store.Retention.Plan(DateTimeOffset.UtcNow, cancellationToken: ct);
            if (parse.GetValue(dryRun))
            {
                if (parse.GetValue(options.Json))
                {
                    await Output.WriteJsonAsync(parse, plan).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                foreach (var item in plan.Databases)
                {
                    await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                        $"would delete {item.Count} record(s) from {item.Database} (before {item.Cutoff.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; oldest {item.Oldest?.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})")).ConfigureAwait(false);
                }

                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{plan.TotalRecords} record(s) past retention; nothing deleted (--dry-run)")).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var result = store.Retention.Apply(plan, cancellationToken: ct);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var deletion in result.Databases)
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"deleted {deletion.Deleted} record(s) from {deletion.Database} (before {deletion.Cutoff.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})")).ConfigureAwait(false);
            }

            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{result.TotalDeleted} record(s) deleted in {result.Duration.TotalSeconds:0.0}s")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Parses an age: <c>forever</c> (null) or a duration (<see cref="Durations"/>).</summary>
    internal static bool TryParseAge(string text, out TimeSpan? age)
    {
        age = null;
        var value = text.Trim();
        if (value.Equals("forever", StringComparison.OrdinalIgnoreCase) || value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (Durations.TryParse(value, out var duration))
        {
            age = duration;
            return true;
        }

        return false;
    }

    // A string option checked at parse time: a custom parser returning null for "forever" trips System.CommandLine's cast.
    private static Option<string?> AgeOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = $"{description}: {AgeHelp}." };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>() ?? "";
            if (!TryParseAge(text, out _))
            {
                result.AddError($"{name} '{text}' is not {AgeHelp}.");
            }
        });
        return option;
    }

    private static TimeSpan? AgeOf(ParseResult parse, Option<string?> option, TimeSpan? current) =>
        parse.GetValue(option) is { } text && TryParseAge(text, out var age) ? age : current;

    private static async Task WritePolicyAsync(ParseResult parse, StoreRetentionPolicy policy)
    {
        foreach (var kind in new[] { StoreDatabaseKind.Logs, StoreDatabaseKind.Events, StoreDatabaseKind.Blobs })
        {
            var age = policy.MaxAge(kind);
            await Output.LineAsync(parse, $"{kind.ToString().ToLowerInvariant(),-7} {(age is { } value ? Describe(value) : "forever")}").ConfigureAwait(false);
        }
    }

    private static string Describe(TimeSpan age) => Durations.Format(age);

}
