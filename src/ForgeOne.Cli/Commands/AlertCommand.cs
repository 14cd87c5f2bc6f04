using System.CommandLine;
using System.Globalization;
using ForgeOne.Core.Monitoring;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge alert set|clear|show|test</c>: the webhook failed backups, checks and drills are reported to.</summary>
internal static class AlertCommand
{
    internal static Command Create() =>
        new("alert", "Set, clear, show and test the webhook that failed backups, checks and drills are reported to.") { SetCommand(), ClearCommand(), ShowCommand(), TestCommand() };

    private static Command SetCommand()
    {
        var options = new RepositoryOptions();
        var webhook = new Option<string>("--webhook") { Description = "The http(s) URL alerts are POSTed to as JSON.", Required = true };
        var slack = new Option<bool>("--slack") { Description = "Post Slack's incoming-webhook format ({\"text\": ...}) instead of the alert object." };
        var attempts = new Option<int?>("--max-attempts") { Description = "Attempts per alert, retried with doubling delays on network errors, 429 and 5xx (default 4)." };
        var command = options.AddTo(new Command("set", "Store the webhook settings (a new version; earlier ones are kept).") { webhook, slack, attempts });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var settings = new AlertSettings { WebhookUrl = parse.GetValue(webhook)!, Slack = parse.GetValue(slack) };
            settings = (parse.GetValue(attempts) is { } count ? settings with { MaxAttempts = count } : settings).Validate();
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var version = await new Alerting(repository).SetAsync(settings, Environment.UserName, ct).ConfigureAwait(false);
            await (parse.GetValue(options.Json) ? Output.WriteJsonAsync(parse, version) : Output.LineAsync(parse, Line(version.Settings) + $" (version {version.Version})")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ClearCommand()
    {
        var options = new RepositoryOptions();
        var command = options.AddTo(new Command("clear", "Turn alerts off (a new version without a webhook)."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var version = await new Alerting(repository).SetAsync(null, Environment.UserName, ct).ConfigureAwait(false);
            await (parse.GetValue(options.Json) ? Output.WriteJsonAsync(parse, version) : Output.LineAsync(parse, "alerts off")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ShowCommand()
    {
        var options = new RepositoryOptions();
        var command = options.AddTo(new Command("show", "Print the webhook settings in force."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var settings = await new Alerting(repository).GetAsync(ct).ConfigureAwait(false);
            await (parse.GetValue(options.Json) ? Output.WriteJsonAsync(parse, settings) : Output.LineAsync(parse, Line(settings))).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command TestCommand()
    {
        var options = new RepositoryOptions();
        var command = options.AddTo(new Command("test", "Send a test alert to the webhook and report the delivery; exit 1 when it was not delivered."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var settings = await new Alerting(repository).GetAsync(ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Repository {repository.Location} has no alert webhook, so there is nothing to test. Set one with 'forge alert set --webhook URL'.");
            var alert = new Alert
            {
                Event = "alert.test",
                Severity = "info",
                Repository = repository.Location,
                Summary = "ForgeOne test alert: this webhook receives ForgeOne's alerts.",
            };
            var delivery = await AlertSender.SendAsync(settings, alert, cancellationToken: ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, delivery).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, delivery.Delivered
                    ? string.Create(CultureInfo.InvariantCulture, $"delivered to {settings.WebhookUrl} (HTTP {delivery.StatusCode}) after {delivery.Attempts} attempt(s)")
                    : string.Create(CultureInfo.InvariantCulture, $"NOT delivered to {settings.WebhookUrl} after {delivery.Attempts} attempt(s): {delivery.Error}")).ConfigureAwait(false);
            }

            return delivery.Delivered ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    private static string Line(AlertSettings? settings) => settings is null
        ? "alerts off (no webhook set)"
        : string.Create(CultureInfo.InvariantCulture, $"webhook {settings.WebhookUrl}{(settings.Slack ? " (Slack format)" : "")}, up to {settings.MaxAttempts} attempt(s) per alert");
}
