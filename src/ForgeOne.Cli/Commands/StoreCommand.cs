using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Rotation;
using ForgeOne.Core.Store.Statistics;

namespace ForgeOne.Cli.Commands;

/// <summary>
/// <c>forge store init|info|rotate-key|retention|forget-subject</c>: create a store, describe one, and look after it.
/// </summary>
internal static class StoreCommand
{
    internal static Command Create() =>
        new("store", "Create a store for logs, blobs and events, show what it holds, rotate its key, apply retention and erase data subjects.")
        {
            InitCommand(), InfoCommand(), RotateKeyCommand(), StoreRetentionCommand.Create(), ForgetSubjectCommand(),
        };

    private static Command InitCommand()
    {
        var options = new StoreOptions("--path");
        var defaults = new StoreCreateOptions();
        var logShards = ShardOption("--log-shards", "Log shards, 1 to 16", defaults.LogShards);
        var blobShards = ShardOption("--blob-shards", "Blob shards, 1 to 16", defaults.BlobShards);
        var eventShards = ShardOption("--event-shards", "Event shards, 1 to 16", defaults.EventShards);
        var region = new Option<string>("--region") { Description = "Where the data must stay, for example eu-west-1 (default: local).", DefaultValueFactory = _ => StoreCreateOptions.DefaultRegion };
        var command = options.AddTo(new Command("init", "Create a store in a new or empty folder (--path or --store; default $FORGE_STORE, then the config file).")
        {
            logShards, blobShards, eventShards, region,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var location = options.Location(parse);
            var createOptions = new StoreCreateOptions
            {
                LogShards = parse.GetValue(logShards),
                BlobShards = parse.GetValue(blobShards),
                EventShards = parse.GetValue(eventShards),
                Region = parse.GetValue(region)!,
            };
            using var credentials = options.Credentials(parse, confirmPrompt: true);
            using var store = ForgeStore.Create(location, credentials, createOptions);
            var statistics = store.GetStatistics();
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, statistics).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"created store {statistics.Path} (id {statistics.Id}, region {statistics.Region}, {statistics.LogShards} log / {statistics.BlobShards} blob / {statistics.EventShards} event shards)")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command InfoCommand()
    {
        var options = new StoreOptions();
        var command = options.AddTo(new Command("info", "Show the store's id, region and keys, and per database file its records, size and (estimated) compression."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            StoreStatistics statistics;
            using (var store = options.Open(parse))
            {
                statistics = store.GetStatistics();
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, statistics).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var line in Describe(statistics))
            {
                await Output.LineAsync(parse, line).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RotateKeyCommand()
    {
        var options = new StoreOptions();
        var batchSize = new Option<int>("--batch-size") { Description = "Records re-sealed per transaction, 1 to 100000 (default 1000); smaller holds each database's write lock for less time.", DefaultValueFactory = _ => StoreKeyRotation.DefaultBatchSize };
        batchSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError("--batch-size must be from 1 to 100000.");
            }
        });
        var command = options.AddTo(new Command("rotate-key", "Add a key epoch for new records and re-seal every existing record under it, resumably, while the store stays in use.") { batchSize });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            StoreKeyRotationResult result;
            using (var store = options.Open(parse))
            {
                result = new StoreKeyRotation(store).Run(parse.GetValue(batchSize), cancellationToken: ct);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"{(result.Resumed ? "resumed" : "started")} rotation to key epoch {result.Epoch}: {result.RecordsResealed} records re-sealed in {result.Databases} databases in {result.Duration.TotalSeconds:0.0}s{(result.Completed ? "; finished" : "")}")).ConfigureAwait(false);
            }

            if (!result.Completed)
            {
                // Writers that opened the store before the rotation kept sealing under the old epoch.
                await Output.ErrorAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"forge: rotation to epoch {result.Epoch} is not finished: {result.RecordsRemaining} records are still sealed under an older epoch. Run 'forge store rotate-key' again (it resumes), or restart the processes writing to the store first.")).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ForgetSubjectCommand()
    {
        var options = new StoreOptions();
        var subject = new Argument<string>("subject") { Description = "The data subject's id, exactly as the records name it." };
        var command = options.AddTo(new Command("forget-subject", "Erase a data subject (GDPR Art. 17): delete its key, so its name and sensitive fields read back as erased in the store, its snapshots and its backups.") { subject });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var name = parse.GetRequiredValue(subject);
            bool removed;
            using (var store = options.Open(parse))
            {
                removed = store.Subjects.Remove(name);
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, new SubjectErasure(removed)).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, removed
                    ? "erased the subject's key; its fields can no longer be read anywhere"
                    : "the subject had no key (nothing was sealed for it, or it was erased before); the erasure is recorded").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static IEnumerable<string> Describe(StoreStatistics statistics)
    {
        var culture = CultureInfo.InvariantCulture;
        yield return $"store    {statistics.Path}";
        yield return $"id       {statistics.Id}";
        yield return $"region   {statistics.Region}";
        yield return string.Create(culture, $"created  {statistics.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
        yield return string.Create(culture, $"epoch    {statistics.CurrentEpoch} (in use: {string.Join(',', statistics.Epochs)})");
        yield return string.Create(culture, $"records  {statistics.Records} ({statistics.LogEntries} log entries)");
        yield return string.Create(culture, $"on disk  {Bytes(statistics.FileBytes)}, sealed values {Bytes(statistics.SealedBytes)}, plaintext ~{Bytes(statistics.EstimatedPlaintextBytes)} (ratio ~{statistics.CompressionRatio:0.00}, estimated from a sample)");
        yield return "";
        yield return $"{"file",-22} {"records",10} {"on disk",10} {"sealed",10} {"plain~",10} {"ratio~",6}  {"epochs",-7} dictionary";
        foreach (var database in statistics.Databases)
        {
            yield return string.Create(culture,
                $"{database.Name,-22} {database.Records,10} {Bytes(database.FileBytes),10} {Bytes(database.SealedBytes),10} {Bytes(database.EstimatedPlaintextBytes),10} {database.CompressionRatio,6:0.00}  {string.Join(',', database.Epochs),-7} {(database.HasDictionary ? "yes" : "no")}");
        }
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static Option<int> ShardOption(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name)
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"{description} (default: {defaultValue})."),
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > StoreLayout.MaximumShards)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be from 1 to {StoreLayout.MaximumShards}."));
            }
        });
        return option;
    }
}
