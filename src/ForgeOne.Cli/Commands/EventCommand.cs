using System.CommandLine;
using System.Globalization;
using System.Text;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Events;

namespace ForgeOne.Cli.Commands;

/// <summary>
/// <c>forge event send|list|topics|checkpoint</c>: send events to a store, read them by topic and time or, as a
/// consumer, after its checkpoint.
/// </summary>
internal static class EventCommand
{
    private const int MaxLimit = 100_000;

    internal static Command Create() =>
        new("event", "Send events to a store, list them by topic, time and priority, and read them as a consumer with a checkpoint.")
        {
            SendCommand(), ListCommand(), TopicsCommand(), CheckpointCommand(),
        };

    private static Command SendCommand()
    {
        var options = new StoreOptions();
        var topic = new Option<string>("--topic", "-t") { Description = "The topic, for example orders/created.", Required = true };
        var priority = new Option<EventPriority>("--priority", "-p") { Description = "low, normal (default), high or critical.", DefaultValueFactory = _ => EventPriority.Normal };
        var payload = new Option<string?>("--payload") { Description = "The payload; without it, each non-empty line of standard input is one event." };
        var metadata = new Option<string[]>("--metadata") { Description = "A metadata field KEY=VALUE; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var subject = new Option<string?>("--subject") { Description = "The data subject the events are about; it and the --sensitive fields are sealed under the subject's key." };
        var sensitive = new Option<string[]>("--sensitive") { Description = "A metadata field that is personal data (needs --subject); repeat for more.", AllowMultipleArgumentsPerToken = false };
        var timestamp = new Option<DateTimeOffset?>("--timestamp") { Description = "When the events happened (ISO 8601), for events sent late; default the time each is sent." };
        var command = options.AddTo(new Command("send", "Send one event (--payload) or one event per line of standard input, in batches.")
        {
            topic, priority, payload, metadata, subject, sensitive, timestamp,
        }, json: false);
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var fields = LogCommand.ParseMetadata(parse.GetValue(metadata) ?? []);
            EventMessage Message(string text) => new()
            {
                Topic = parse.GetRequiredValue(topic),
                Timestamp = parse.GetValue(timestamp) ?? default,
                Priority = parse.GetValue(priority),
                Payload = text,
                Metadata = fields,
                Subject = parse.GetValue(subject),
                SensitiveFields = parse.GetValue(sensitive) ?? [],
            };

            using var store = options.Open(parse);
            using var writer = store.Events.OpenWriter();
            if (parse.GetValue(payload) is { } single)
            {
                writer.Add(Message(single));
                var sent = writer.Flush().Count;
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"sent {sent} events")).ConfigureAwait(false);
                return ExitCodes.Success;
            }

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
                    writer.Add(Message(line));
                }
                catch (StoreValidationException ex)
                {
                    // One bad line is reported and skipped; the others are still sent.
                    firstFailure ??= ex;
                    await Output.ErrorAsync(parse, string.Create(CultureInfo.InvariantCulture, $"forge: line {lineNumber}: {CliErrors.OneLine(ex)}")).ConfigureAwait(false);
                }
            }

            writer.Flush();
            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"sent {writer.Written} events")).ConfigureAwait(false);
            return firstFailure is null ? ExitCodes.Success : ExitCodes.For(firstFailure);
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var options = new StoreOptions();
        var topic = new Option<string?>("--topic", "-t") { Description = "The topic; default every topic." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Earliest timestamp, inclusive (ISO 8601, for example 2025-01-31T12:00:00Z)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Latest timestamp, exclusive." };
        var minimum = new Option<EventPriority?>("--min-priority") { Description = "Lowest priority returned: low, normal, high or critical." };
        var limit = new Option<int?>("--limit", "-n") { Description = "Most events to return, 1 to 100000; the continuation token of the rest is printed (stderr, or in --json)." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > MaxLimit)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--limit must be from 1 to {MaxLimit}."));
            }
        });
        var after = new Option<string?>("--after") { Description = "Continue after this continuation token (from a previous --limit listing)." };
        var consumer = new Option<string?>("--after-checkpoint") { Description = "As this consumer: only events written after its checkpoint, in the order they were written." };
        var commit = new Option<bool>("--commit") { Description = "With --after-checkpoint: once the events are printed, move the consumer's checkpoint past them." };
        var command = options.AddTo(new Command("list", "Print events in timestamp order across all shards, or a consumer's new events in write order.")
        {
            topic, from, to, minimum, limit, after, consumer, commit,
        });
        command.Validators.Add(result =>
        {
            if (result.GetValue(commit) && result.GetValue(consumer) is null)
            {
                result.AddError("--commit moves a consumer's checkpoint; name the consumer with --after-checkpoint.");
            }
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var query = new EventQuery
            {
                Topic = parse.GetValue(topic),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                MinimumPriority = parse.GetValue(minimum),
                After = parse.GetValue(after),
                AfterCheckpoint = parse.GetValue(consumer),
            };
            using var store = options.Open(parse);
            IEnumerable<EventMessage> events;
            string? continuation = null;
            if (parse.GetValue(limit) is { } count)
            {
                var page = store.Events.ReadPage(query with { PageSize = count });
                events = page.Items;
                continuation = page.ContinuationToken;
            }
            else
            {
                events = store.Events.Read(query);
            }

            // The checkpoint needs, per shard, only the consumed event with the largest id.
            var newestPerShard = new Dictionary<int, EventMessage>();
            events = events.Select(message =>
            {
                if (!newestPerShard.TryGetValue(message.Shard, out var newest) || message.Id > newest.Id)
                {
                    newestPerShard[message.Shard] = message;
                }

                return message;
            });

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(options.Json))
            {
                await JsonPage.WriteAsync(output, events, () => continuation, ct).ConfigureAwait(false);
            }
            else
            {
                foreach (var message in events)
                {
                    ct.ThrowIfCancellationRequested();
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{message.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}  {message.Priority,-8}  {message.Topic}  {message.Payload.ReplaceLineEndings(" ")}")).ConfigureAwait(false);
                }

                if (continuation is not null)
                {
                    await Output.ErrorAsync(parse, $"forge: more events follow; continue with --after {continuation}").ConfigureAwait(false);
                }
            }

            if (parse.GetValue(commit) && newestPerShard.Count > 0)
            {
                // Only after the events are written out: a crash before this line delivers them again, never loses them.
                await output.FlushAsync(ct).ConfigureAwait(false);
                store.Events.SetCheckpoint(parse.GetRequiredValue(consumer)!, newestPerShard.Values);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command TopicsCommand()
    {
        var options = new StoreOptions();
        var command = options.AddTo(new Command("topics", "List the topics that have events, with their counts and time spans."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            IReadOnlyList<EventTopic> topics;
            using (var store = options.Open(parse))
            {
                topics = store.Events.ListTopics();
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, topics).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var topic in topics)
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"{topic.Count,10}  {topic.FirstTimestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {topic.LastTimestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {topic.Name}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CheckpointCommand()
    {
        var options = new StoreOptions();
        var consumer = new Option<string>("--consumer", "-c") { Description = "The consumer's name.", Required = true };
        var reset = new Option<bool>("--reset") { Description = "Delete the checkpoint, so the consumer's next read starts at the first event." };
        var command = options.AddTo(new Command("checkpoint", "Show a consumer's checkpoint (per shard, the last event id consumed), or reset it; exit 1 when it has none.") { consumer, reset });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var name = parse.GetRequiredValue(consumer);
            using var store = options.Open(parse);
            if (parse.GetValue(reset))
            {
                var removed = store.Events.RemoveCheckpoint(name);
                await Output.LineAsync(parse, removed ? $"reset the checkpoint of {name}" : $"{name} had no checkpoint").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (store.Events.GetCheckpoint(name) is not { } checkpoint)
            {
                await Output.ErrorAsync(parse, $"forge: consumer '{name}' has no checkpoint; 'forge event list --after-checkpoint {name} --commit' reads from the first event and sets one.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, checkpoint).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"consumer {checkpoint.Consumer}, updated {checkpoint.Updated.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}")).ConfigureAwait(false);
            foreach (var (shard, id) in checkpoint.Positions.OrderBy(position => position.Key))
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"events_shard_{shard}.redb  {id}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
