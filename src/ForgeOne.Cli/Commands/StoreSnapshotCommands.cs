using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Snapshots;

namespace ForgeOne.Cli.Commands;

/// <summary>
/// <c>forge snapshot create|list</c> and the store half of <c>forge snapshot verify</c>: point-in-time copies of a
/// store's databases under its <c>snapshots/</c> folder, with their logical DNA.
/// </summary>
internal static partial class StoreSnapshotCommands
{
    internal static Command CreateCommand()
    {
        var options = new StoreOptions();
        var database = new Option<string?>("--db", "--database") { Description = "What to snapshot: system.redb, a shard such as logs_shard_0.redb, a kind (system, logs, blobs, events) or All." };
        var all = new Option<bool>("--all") { Description = "Every database of the store (as --db All)." };
        var command = options.AddTo(new Command("create", "Snapshot store databases while writers continue (VACUUM INTO), check each copy and record its logical DNA.") { database, all });
        command.Validators.Add(result =>
        {
            if ((result.GetValue(database) is not null) == result.GetValue(all))
            {
                result.AddError("Name the databases to snapshot with --db NAME (system.redb, logs_shard_0.redb, logs, All), or give --all.");
            }
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            IReadOnlyList<StoreSnapshot> snapshots;
            using (var store = options.Open(parse))
            {
                snapshots = store.Snapshots.Create(parse.GetValue(database) ?? "All", cancellationToken: ct);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, snapshots).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WriteTableAsync(parse, snapshots).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static Command ListCommand()
    {
        var options = new StoreOptions();
        var database = new Option<string?>("--db", "--database") { Description = "Only snapshots of this database file, for example system.redb." };
        var command = options.AddTo(new Command("list", "List the store's snapshots, oldest first: set id, database, size, logical DNA. (Backups in a repository: forge backup list.)") { database });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            IReadOnlyList<StoreSnapshot> snapshots;
            using (var store = options.Open(parse))
            {
                snapshots = store.Snapshots.List();
            }

            if (parse.GetValue(database) is { } name)
            {
                var file = StoreDatabase.Parse(name).FileName;
                snapshots = [.. snapshots.Where(snapshot => snapshot.Database == file)];
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, snapshots).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await WriteTableAsync(parse, snapshots).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// True when <paramref name="id"/> names a store snapshot set (<c>yyyyMMddTHHmmssZ-xxxx</c>, or a prefix reaching
    /// at least the <c>T</c>) rather than a repository snapshot (hex digits or <c>latest</c>): the forms never overlap.
    /// </summary>
    internal static bool IsStoreSnapshotId(string? id) => id is not null && StoreSnapshotId().IsMatch(id);

    /// <summary>Verifies every database of a store snapshot set, or one of them; exit 3 when any fails.</summary>
    internal static async Task<int> VerifyAsync(ParseResult parse, StoreOptions options, Option<bool> json, string id, string? database, CancellationToken cancellationToken)
    {
        var results = new List<StoreSnapshotVerification>();
        using (var store = options.Open(parse))
        {
            foreach (var snapshot in store.Snapshots.Find(id, database))
            {
                results.Add(store.Snapshots.Verify(snapshot, cancellationToken));
            }
        }

        if (parse.GetValue(json))
        {
            await Output.WriteJsonAsync(parse, results).ConfigureAwait(false);
        }
        else
        {
            foreach (var result in results)
            {
                await Output.LineAsync(parse, $"{result.Id}  {result.Database}  {(result.Passed ? "passed" : "FAILED")}  DNA {result.ActualDna ?? "(unreadable)"}").ConfigureAwait(false);
                foreach (var problem in result.Problems)
                {
                    await Output.LineAsync(parse, "    " + problem).ConfigureAwait(false);
                }
            }
        }

        return results.TrueForAll(result => result.Passed) ? ExitCodes.Success : ExitCodes.DamageFound;
    }

    private static async Task WriteTableAsync(ParseResult parse, IReadOnlyList<StoreSnapshot> snapshots)
    {
        await Output.LineAsync(parse, $"{"id",-22}  {"database",-22}  {"size",10}  {"integrity",-9}  logical DNA").ConfigureAwait(false);
        foreach (var snapshot in snapshots)
        {
            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                $"{snapshot.Id,-22}  {snapshot.Database,-22}  {TerminalProgress.Size(snapshot.Bytes),10}  {snapshot.Integrity,-9}  {snapshot.LogicalDna}")).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"^[0-9]{8}T([0-9]{0,6}|[0-9]{6}Z(-[0-9a-f]{0,4})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex StoreSnapshotId();
}
