using System.CommandLine;
using ForgeOne.Core.Configuration;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge config set|get|list|path|unset</c>: the defaults in the ForgeOne config file.</summary>
internal static class ConfigCommand
{
    internal static Command Create()
    {
        var keys = string.Join(", ", ForgeConfig.KnownKeys);
        return new Command("config", $"Defaults used when no flag or environment variable names them ({keys}); never passphrases. The file is $FORGE_CONFIG, else the platform's location ('forge config path').")
        {
            SetCommand(keys), GetCommand(keys), ListCommand(), PathCommand(), UnsetCommand(keys),
        };
    }

    private static Command SetCommand(string keys)
    {
        var key = new Argument<string>("key") { Description = $"One of: {keys}." };
        var value = new Argument<string>("value") { Description = "A path; stored as a full path." };
        var command = new Command("set", "Set a default, writing the config file atomically.") { key, value };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var config = ForgeConfig.Load();
            var stored = config.Set(parse.GetRequiredValue(key), parse.GetRequiredValue(value));
            config.Save();
            await Output.LineAsync(parse, $"{parse.GetRequiredValue(key)}={stored}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command GetCommand(string keys)
    {
        var key = new Argument<string>("key") { Description = $"One of: {keys}." };
        var command = new Command("get", "Print a default; exit 1 when it is not set.") { key };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var config = ForgeConfig.Load();
            var name = parse.GetRequiredValue(key);
            if (config.Get(name) is not { } stored)
            {
                await Output.ErrorAsync(parse, $"forge: '{name}' is not set in {config.FilePath}.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await Output.LineAsync(parse, stored).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print the settings as one JSON object." };
        var command = new Command("list", "Print every default that is set, KEY=VALUE a line.") { json };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var config = ForgeConfig.Load();
            if (parse.GetValue(json))
            {
                await Output.WriteJsonAsync(parse, config.Values).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var (name, stored) in config.Values)
            {
                await Output.LineAsync(parse, $"{name}={stored}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command PathCommand()
    {
        var command = new Command("path", "Print where the config file is ($FORGE_CONFIG, else the platform's location); it need not exist.");
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await Output.LineAsync(parse, ForgeConfig.ResolvePath()).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command UnsetCommand(string keys)
    {
        var key = new Argument<string>("key") { Description = $"One of: {keys}." };
        var command = new Command("unset", "Remove a default from the config file.") { key };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, () =>
        {
            var config = ForgeConfig.Load();
            if (config.Unset(parse.GetRequiredValue(key)))
            {
                config.Save();
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
