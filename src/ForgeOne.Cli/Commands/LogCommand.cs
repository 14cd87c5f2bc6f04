using System.CommandLine;
using System.Globalization;
using System.Text;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge log write|query</c>: write log entries to a store and read them back.</summary>
internal static class LogCommand
{
    private const int MaxLimit = 100_000;

    internal static Command Create() =>
        new("log", "Write log entries to a store and query them by topic, time and severity.") { WriteCommand(), QueryCommand() };

    private static Command WriteCommand()
    {
        var options = new StoreOptions();
        var topic = new Option<string>("--topic", "-t") { Description = "The topic, for example app/auth.", Required = true };
        var severity = new Option<LogSeverity>("--severity", "-s") { Description = "trace, debug, information (default), warning, error or critical.", DefaultValueFactory = _ => LogSeverity.Information };
        var message = new Option<string?>("--message", "-m") { Description = "The message; without it, each non-empty line of standard input is one entry." };
        var metadata = new Option<string[]>("--metadata") { Description = "A metadata field KEY=VALUE; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var command = options.AddTo(new Command("write", "Write one entry (--message) or one entry per line of standard input, in batches.") { topic, severity, message, metadata }, json: false);
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var fields = ParseMetadata(parse.GetValue(metadata) ?? []);
            LogEntry Entry(string text) => new()
            {
                Topic = parse.GetRequiredValue(topic),
                Severity = parse.GetValue(severity),
                Message = text,
                Metadata = fields,
            };

            using var store = options.Open(parse);
            using var writer = store.Logs.OpenWriter(returnWritten: false);
            if (parse.GetValue(message) is { } single)
            {
                writer.Add(Entry(single));
            }
            else
            {
                using var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
                Exception? firstFailure = null;
                var lineNumber = 0;
                while (await input.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    lineNumber++;
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    try
                    {
                        writer.Add(Entry(line));
                    }
                    catch (StoreValidationException ex)
                    {
                        // One bad line is reported and skipped; the others are still written.
                        firstFailure ??= ex;
                        await Output.ErrorAsync(parse, string.Create(CultureInfo.InvariantCulture, $"forge: line {lineNumber}: {CliErrors.OneLine(ex)}")).ConfigureAwait(false);
                    }
                }

                writer.Flush();
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"wrote {writer.Written} log entries")).ConfigureAwait(false);
                return firstFailure is null ? ExitCodes.Success : ExitCodes.For(firstFailure);
            }

            writer.Flush();
            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"wrote {writer.Written} log entries")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command QueryCommand()
    {
        var options = new StoreOptions();
        var topic = new Option<string?>("--topic", "-t") { Description = "The topic; default every topic." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Earliest timestamp, inclusive (ISO 8601, for example 2025-01-31T12:00:00Z)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Latest timestamp, exclusive." };
        var minimum = new Option<LogSeverity?>("--min-severity") { Description = "Lowest severity returned: trace, debug, information, warning, error or critical." };
        var limit = new Option<int?>("--limit", "-n") { Description = "Most entries to return, 1 to 100000; the continuation token of the rest is printed (stderr, or in --json)." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > MaxLimit)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--limit must be from 1 to {MaxLimit}."));
            }
        });
        var after = new Option<string?>("--after") { Description = "Continue after this continuation token (from a previous --limit query)." };
        var command = options.AddTo(new Command("query", "Print log entries in timestamp order across all shards.") { topic, from, to, minimum, limit, after });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var query = new LogQuery
            {
                Topic = parse.GetValue(topic),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                MinimumSeverity = parse.GetValue(minimum),
                After = parse.GetValue(after),
            };
            using var store = options.Open(parse);
            IEnumerable<LogEntry> entries;
            string? continuation = null;
            if (parse.GetValue(limit) is { } count)
            {
                var page = store.Logs.ReadPage(query with { PageSize = count });
                entries = page.Items;
                continuation = page.ContinuationToken;
            }
            else
            {
                entries = store.Logs.Read(query);
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(options.Json))
            {
                await JsonPage.WriteAsync(output, entries, () => continuation, ct).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var entry in entries)
            {
                ct.ThrowIfCancellationRequested();
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{entry.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}  {entry.Severity,-11}  {entry.Topic}  {entry.Message.ReplaceLineEndings(" ")}")).ConfigureAwait(false);
            }

            if (continuation is not null)
            {
                await Output.ErrorAsync(parse, $"forge: more entries follow; continue with --after {continuation}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Parses repeated <c>--metadata KEY=VALUE</c> values.</summary>
    internal static Dictionary<string, string> ParseMetadata(string[] pairs)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--metadata '{pair}' is not KEY=VALUE.");
            }

            fields[pair[..equals]] = pair[(equals + 1)..];
        }

        return fields;
    }
}
