using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Backup;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge backup create|list|restore|dump|diff</c>.</summary>
internal static class BackupCommand
{
    internal static Command Create() => new("backup", "Create, list, restore and compare backups.")
    {
        CreateCommand(), ListCommand(), RestoreCommand(), DumpCommand(), DiffCommand(),
    };

    private static Command CreateCommand()
    {
        var options = new RepositoryOptions();
        var paths = new Argument<string[]>("paths") { Description = "Files and folders to back up.", Arity = ArgumentArity.ZeroOrMore };
        var tags = new Option<string[]>("--tag") { Description = "Tag the snapshot (repeatable).", AllowMultipleArgumentsPerToken = false };
        var excludes = new Option<string[]>("--exclude", "-e") { Description = "Glob of paths to leave out (repeatable): '*.tmp' at any depth, 'logs/*.gz' from the top." };
        var excludeCaches = new Option<bool>("--exclude-caches") { Description = "Leave out folders marked with CACHEDIR.TAG." };
        var maxSize = new Option<long?>("--max-file-size") { Description = "Leave out files larger than this many bytes." };
        var force = new Option<bool>("--force") { Description = "Read every file, even those the previous snapshot shows unchanged." };
        var stdin = new Option<bool>("--stdin") { Description = "Back up standard input as one file (e.g. pg_dump | forge backup create --stdin)." };
        var stdinName = new Option<string>("--stdin-filename") { Description = "The file name standard input gets in the snapshot.", DefaultValueFactory = _ => "stdin" };
        var all = new Option<bool>("--all") { Description = "Back up the whole store (--store, $FORGE_STORE or the config file): every database, copied at one instant, with its logical DNA; never subjects.redb." };
        var storeOptions = StoreOptions.BesideRepository();
        var command = options.AddTo(new Command("create", "Back up files and folders, standard input, or (--all) the store, as a new snapshot.")
        {
            paths, tags, excludes, excludeCaches, maxSize, force, stdin, stdinName, all, storeOptions.Store, storeOptions.KeyFile,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var fromStdin = parse.GetValue(stdin);
            var wholeStore = parse.GetValue(all);
            var given = parse.GetValue(paths) ?? [];
            if ((fromStdin ? 1 : 0) + (wholeStore ? 1 : 0) + (given.Length > 0 ? 1 : 0) != 1)
            {
                throw new ArgumentException(fromStdin || wholeStore
                    ? "Give one of: paths to back up, --stdin, or --all (the store)."
                    : "Give the paths to back up, --stdin, or --all (the store).");
            }

            if (wholeStore && (parse.GetValue(excludes) is { Length: > 0 } || parse.GetValue(excludeCaches) || parse.GetValue(maxSize) is not null))
            {
                throw new ArgumentException("--exclude, --exclude-caches and --max-file-size choose files; --all backs up every database of the store.");
            }

            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            using var progress = TerminalProgress.ForConsole();
            Snapshot snapshot;
            if (wholeStore)
            {
                using var store = storeOptions.Open(parse);
                snapshot = await StoreBackupRunner.RunAsync(store, repository, parse.GetValue(tags) ?? [], progress, ct).ConfigureAwait(false);
            }
            else if (fromStdin)
            {
                await using var input = Console.OpenStandardInput();
                snapshot = await BackupRunner.RunFromStreamAsync(repository, input, parse.GetValue(stdinName)!, parse.GetValue(tags) ?? [], progress, ct).ConfigureAwait(false);
            }
            else
            {
                snapshot = await BackupRunner.RunAsync(repository, new BackupOptions
                {
                    Paths = given,
                    Tags = parse.GetValue(tags) ?? [],
                    Excludes = parse.GetValue(excludes) ?? [],
                    ExcludeCaches = parse.GetValue(excludeCaches),
                    MaxFileSize = parse.GetValue(maxSize),
                    Force = parse.GetValue(force),
                }, progress, ct).ConfigureAwait(false);
            }

            progress?.Dispose();
            foreach (var warning in snapshot.Warnings)
            {
                await Output.ErrorAsync(parse, "warning: " + warning).ConfigureAwait(false);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, snapshot).ConfigureAwait(false);
            }
            else
            {
                var what = snapshot.Store is { } manifest
                    ? string.Create(CultureInfo.InvariantCulture, $"store {manifest.StoreId} ({manifest.Databases.Count} databases), ")
                    : "";
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"snapshot {snapshot.ShortId} saved: {what}{snapshot.Files} files, {snapshot.Directories} dirs, {TerminalProgress.Size(snapshot.LogicalBytes)} ({TerminalProgress.Size(snapshot.AddedBytes)} new, {TerminalProgress.Size(snapshot.StoredBytes)} stored) in {snapshot.Duration.TotalSeconds:0.0}s; DNA {snapshot.DnaHash}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var options = new RepositoryOptions();
        var host = new Option<string?>("--host") { Description = "Only snapshots of this host." };
        var path = new Option<string?>("--path") { Description = "Only snapshots that include this path." };
        var tag = new Option<string[]>("--tag") { Description = "Only snapshots with any of these tags." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only snapshots taken at or after this time (ISO 8601, for example 2026-11-01 or 2026-11-01T00:00:00Z; without a zone, local time)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only snapshots taken at or before this time (ISO 8601)." };
        var latest = new Option<int?>("--latest") { Description = "Only the newest N of those the other options kept." };
        var command = options.AddTo(new Command("list", "List snapshots, oldest first; store backups (forge backup create --all) show 'store' before their path and the tag forge-store.") { host, path, tag, from, to, latest });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var tags = parse.GetValue(tag);
            var damaged = new List<DamagedSnapshot>();
            var snapshots = await SnapshotStore.FindAsync(repository, new SnapshotFilter
            {
                Host = parse.GetValue(host),
                Path = parse.GetValue(path),
                Tag = tags is { Length: > 0 } ? tags : null,
                Since = parse.GetValue(from),
                Until = parse.GetValue(to),
                Latest = parse.GetValue(latest),
            }, ct, damaged).ConfigureAwait(false);
            foreach (var skipped in damaged)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"forge: warning: snapshot {skipped.Id[..8]} was skipped: {skipped.Problem}").ConfigureAwait(false);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, snapshots).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await Output.LineAsync(parse, $"{"id",-8}  {"time (UTC)",-19}  {"host",-16}  {"files",8}  {"size",10}  paths").ConfigureAwait(false);
            foreach (var s in snapshots)
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"{s.ShortId,-8}  {s.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {s.Host,-16}  {s.Files,8}  {TerminalProgress.Size(s.LogicalBytes),10}  {(s.Store is not null ? "store " : "")}{string.Join(' ', s.Paths)}{(s.Tags.Count > 0 ? " [" + string.Join(',', s.Tags) + "]" : "")}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RestoreCommand()
    {
        var options = new RepositoryOptions();
        var storeOptions = StoreOptions.BesideRepository();
        var snapshot = new Option<string>("--snapshot", "-s") { Description = "Snapshot id, unique prefix, or 'latest' (for a store restore: the newest backup of that store).", DefaultValueFactory = _ => "latest" };
        var destination = new Option<string?>("--to") { Description = "Folder to restore a snapshot's files into." };
        var target = new Option<string?>("--target") { Description = "A store database (logs_shard_0.redb, system.redb), a kind (logs) or All: restore it into the store (--store, $FORGE_STORE or the config file). Any other value is a folder, as --to." };
        var include = new Option<string[]>("--include", "-i") { Description = "Glob of snapshot paths to restore (repeatable)." };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Glob of snapshot paths to leave out (repeatable)." };
        var force = new Option<bool>("--force") { Description = "Replace files that exist at the destination." };
        var command = options.AddTo(new Command("restore", "Restore a snapshot, or part of it, into a folder, or store databases into the store; every chunk and hash is checked before anything takes its final name.")
        {
            snapshot, destination, target, include, exclude, force, storeOptions.Store, storeOptions.KeyFile,
        });
        command.Validators.Add(result =>
        {
            if ((result.GetValue(destination) is null) == (result.GetValue(target) is null))
            {
                result.AddError("Give the folder to restore into with --to DIR, or the store database to restore with --target NAME (logs_shard_0.redb, logs, All).");
            }
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            if (parse.GetValue(target) is { } named && IsStoreTarget(named) && storeOptions.IsGiven(parse))
            {
                if (parse.GetValue(include) is { Length: > 0 } || parse.GetValue(exclude) is { Length: > 0 } || parse.GetValue(force))
                {
                    throw new ArgumentException("--include, --exclude and --force apply to restoring files into a folder; a store restore replaces whole databases and keeps each replaced file beside it.");
                }

                return await RestoreStoreAsync(parse, options, storeOptions, named, parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            }

            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var chosen = await SnapshotStore.LoadAsync(repository, parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            using var progress = TerminalProgress.ForConsole();
            var result = await RestoreRunner.RunAsync(repository, chosen, new RestoreOptions
            {
                Destination = parse.GetValue(destination) ?? parse.GetValue(target)!,
                Include = parse.GetValue(include) ?? [],
                Exclude = parse.GetValue(exclude) ?? [],
                Force = parse.GetValue(force),
            }, progress, ct).ConfigureAwait(false);
            progress?.Dispose();
            foreach (var problem in result.Skipped)
            {
                await Output.ErrorAsync(parse, $"skipped {problem.Path}: {problem.Reason}").ConfigureAwait(false);
            }

            foreach (var problem in result.Failed)
            {
                await Output.ErrorAsync(parse, $"failed {problem.Path}: {problem.Reason}").ConfigureAwait(false);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"restored snapshot {chosen.ShortId} to {result.Destination}: {result.Files} files, {TerminalProgress.Size(result.Bytes)} in {result.Duration.TotalSeconds:0.0}s; {(result.Verified ? "DNA verified " + result.DnaHash : result.DnaHash is null ? "DNA not checked: " + result.NotVerifiedReason : "DNA MISMATCH")}")).ConfigureAwait(false);
            }

            if (result.Failed.Count > 0 || (result.DnaHash is not null && !result.Verified))
            {
                return ExitCodes.DamageFound;
            }

            if (result.Skipped.Count > 0)
            {
                // Not restored is not success: a script must not take a destination holding other content for the snapshot.
                await Output.ErrorAsync(parse, $"forge: {result.Skipped.Count} path(s) already exist at {result.Destination} and were left alone; pass --force to replace them.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// True when a <c>--target</c> value names store databases rather than a folder: <c>All</c>, a kind or a database
    /// file name, written without any path separator (so <c>./logs</c> is always a folder).
    /// </summary>
    internal static bool IsStoreTarget(string value)
    {
        var name = value.Trim();
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0)
        {
            return false;
        }

        return name.Equals("all", StringComparison.OrdinalIgnoreCase)
            || (Enum.TryParse<StoreDatabaseKind>(name, ignoreCase: true, out _) && !char.IsDigit(name[0]) && name[0] != '-')
            || StoreDatabase.TryParse(name, out _);
    }

    private static async Task<int> RestoreStoreAsync(ParseResult parse, RepositoryOptions options, StoreOptions storeOptions, string target, string snapshot, CancellationToken cancellationToken)
    {
        var storePath = storeOptions.Location(parse);
        using var storeCredentials = storeOptions.Credentials(parse);
        await using var repository = await options.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
        using var progress = TerminalProgress.ForConsole();
        var result = await StoreRestoreRunner.RunAsync(repository, storeCredentials, new StoreRestoreOptions
        {
            StorePath = storePath,
            Target = target,
            SnapshotId = snapshot.Equals("latest", StringComparison.OrdinalIgnoreCase) ? null : snapshot,
        }, progress, cancellationToken).ConfigureAwait(false);
        progress?.Dispose();
        if (parse.GetValue(options.Json))
        {
            await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        foreach (var database in result.Databases)
        {
            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                $"restored {database.Database} ({TerminalProgress.Size(database.Bytes)}), logical DNA {database.LogicalDna} verified{(database.PreviousVersion is { } previous ? "; the replaced file is kept as " + Path.GetFileName(previous) : "")}")).ConfigureAwait(false);
        }

        await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
            $"restored {result.Databases.Count} database(s) from snapshot {result.SnapshotId[..8]} into {result.StorePath} in {result.Duration.TotalSeconds:0.0}s")).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static Command DumpCommand()
    {
        var options = new RepositoryOptions();
        var snapshot = new Option<string>("--snapshot", "-s") { Description = "Snapshot id, unique prefix, or 'latest'.", DefaultValueFactory = _ => "latest" };
        var path = new Argument<string>("path") { Description = "The file's path in the snapshot, e.g. db.sql or data/config.json." };
        var command = options.AddTo(new Command("dump", "Write one file of a snapshot to standard output.") { snapshot, path }, json: false);
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var chosen = await SnapshotStore.LoadAsync(repository, parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            await using var stdout = Console.OpenStandardOutput();
            await RestoreRunner.DumpAsync(repository, chosen, parse.GetValue(path)!, stdout, ct).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command DiffCommand()
    {
        var options = new RepositoryOptions();
        var first = new Argument<string>("first") { Description = "The older snapshot (id, prefix or 'latest')." };
        var second = new Argument<string>("second") { Description = "The newer snapshot (id, prefix or 'latest')." };
        var command = options.AddTo(new Command("diff", "Show paths added, removed and changed between two snapshots.") { first, second });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var diff = await BackupDiff.CompareAsync(repository, parse.GetValue(first)!, parse.GetValue(second)!, ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, diff).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var change in diff.Differences)
            {
                var mark = change.Change switch { ChangeKind.Added => "+", ChangeKind.Removed => "-", ChangeKind.MetadataChanged => "U", ChangeKind.TypeChanged => "T", _ => "M" };
                await Output.LineAsync(parse, $"{mark}    {change.Path}").ConfigureAwait(false);
            }

            await Output.LineAsync(parse, $"{diff.Added} added, {diff.Removed} removed, {diff.Modified} modified, {diff.TypeChanged} type changed, {diff.MetadataChanged} metadata changed").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
