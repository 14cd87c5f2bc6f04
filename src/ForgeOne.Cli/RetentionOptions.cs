using System.CommandLine;
using System.CommandLine.Parsing;
using ForgeOne.Core.Retention;

namespace ForgeOne.Cli;

/// <summary>
/// The rules of a retention policy as options (<c>--keep-last</c> … <c>--keep-within</c>, <c>--group-by</c>), shared by
/// <c>forge policy set</c> and <c>forge forget</c>, with restic's names.
/// </summary>
internal sealed class RetentionOptions
{
    internal Option<int?> KeepLast { get; } = Count("--keep-last", "Keep the newest N snapshots");

    internal Option<int?> KeepHourly { get; } = Count("--keep-hourly", "Keep the newest snapshot of each of the last N hours that have one");

    internal Option<int?> KeepDaily { get; } = Count("--keep-daily", "Keep the newest snapshot of each of the last N days that have one");

    internal Option<int?> KeepWeekly { get; } = Count("--keep-weekly", "Keep the newest snapshot of each of the last N ISO weeks that have one");

    internal Option<int?> KeepMonthly { get; } = Count("--keep-monthly", "Keep the newest snapshot of each of the last N months that have one");

    internal Option<int?> KeepYearly { get; } = Count("--keep-yearly", "Keep the newest snapshot of each of the last N years that have one");

    internal Option<string?> KeepWithin { get; } = Durations.Option("--keep-within", "Keep every snapshot taken within this long before the group's newest");

    internal Option<string?> GroupBy { get; } = GroupByOption();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    internal Command AddTo(Command command)
    {
        foreach (var option in new Option[] { KeepLast, KeepHourly, KeepDaily, KeepWeekly, KeepMonthly, KeepYearly, KeepWithin, GroupBy })
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>True when any rule or the grouping was given.</summary>
    internal bool AnyGiven(ParseResult parse) => All.Any(option => parse.GetResult(option) is not null);

    /// <summary>True when any rule or the grouping was given, as a command's validator sees it.</summary>
    internal bool AnyGiven(CommandResult command) => All.Any(option => command.GetResult(option) is not null);

    private Option[] All => [KeepLast, KeepHourly, KeepDaily, KeepWeekly, KeepMonthly, KeepYearly, KeepWithin, GroupBy];

    /// <summary>The policy the options give, validated by Core.</summary>
    internal RetentionPolicy Policy(ParseResult parse)
    {
        var policy = new RetentionPolicy
        {
            KeepLast = parse.GetValue(KeepLast),
            KeepHourly = parse.GetValue(KeepHourly),
            KeepDaily = parse.GetValue(KeepDaily),
            KeepWeekly = parse.GetValue(KeepWeekly),
            KeepMonthly = parse.GetValue(KeepMonthly),
            KeepYearly = parse.GetValue(KeepYearly),
            KeepWithin = Durations.Get(parse, KeepWithin),
        };
        return (parse.GetValue(GroupBy) is { } groupBy ? policy with { GroupBy = ParseGrouping(groupBy)!.Value } : policy).Validate();
    }

    /// <summary>The grouping in the option's words: <c>host,paths</c>, or <c>none</c>.</summary>
    internal static string Describe(SnapshotGrouping grouping) =>
        grouping == SnapshotGrouping.None ? "none"
        : string.Join(',', new[] { (SnapshotGrouping.Host, "host"), (SnapshotGrouping.Paths, "paths"), (SnapshotGrouping.Tags, "tags") }
            .Where(flag => grouping.HasFlag(flag.Item1)).Select(flag => flag.Item2));

    private static SnapshotGrouping? ParseGrouping(string text)
    {
        var grouping = SnapshotGrouping.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "host": grouping |= SnapshotGrouping.Host; break;
                case "paths": grouping |= SnapshotGrouping.Paths; break;
                case "tags": grouping |= SnapshotGrouping.Tags; break;
                case "none": break;
                default: return null;
            }
        }

        return grouping;
    }

    private static Option<int?> Count(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description + "." };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError($"{name} is at least 1 (leave it out to not use the rule).");
            }
        });
        return option;
    }

    private static Option<string?> GroupByOption()
    {
        var option = new Option<string?>("--group-by") { Description = "What separates groups, each judged on its own: a comma list of host, paths, tags, or 'none' for one group (default host,paths)." };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>() ?? "";
            if (ParseGrouping(text) is null)
            {
                result.AddError($"--group-by '{text}' is not a comma list of host, paths and tags, or 'none'.");
            }
        });
        return option;
    }
}
