using System.CommandLine;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge key ...</c>: key files now; key slots of a repository later.</summary>
internal static class KeyCommand
{
    internal static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Where to write the key file." };
        var force = new Option<bool>("--force", "-f") { Description = "Replace an existing file." };
        var newCommand = new Command("new", "Write a new 32-byte random key file, readable only by you (mode 0600 on Unix).") { path, force };
        newCommand.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var file = parse.GetRequiredValue(path);
            KeyFile.Generate(file, parse.GetValue(force));
            await parse.InvocationConfiguration.Output.WriteLineAsync(Path.GetFullPath(file)).ConfigureAwait(false);
            return ExitCodes.Success;
        }));

        return new Command("key", "Manage key files and a repository's key slots.") { newCommand, AddCommand(), ListCommand(), RemoveCommand() };
    }

    private static Command AddCommand()
    {
        var options = new RepositoryOptions();
        var newKeyFile = new Option<string?>("--new-key-file") { Description = "The key file the new slot opens with; else a new passphrase ($FORGE_NEW_PASSPHRASE or a prompt)." };
        var command = options.AddTo(new Command("add", "Add a key slot: another passphrase or key file that opens the repository. No data is re-encrypted.") { newKeyFile });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            using var credentials = NewCredentials(parse.GetValue(newKeyFile));
            var id = await repository.AddKeyAsync(credentials, null, ct).ConfigureAwait(false);
            await Output.LineAsync(parse, $"added key slot {id}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var options = new RepositoryOptions();
        var command = options.AddTo(new Command("list", "List the repository's key slots."));
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var keys = await repository.ListKeysAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, keys).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var key in keys)
            {
                await Output.LineAsync(parse, $"{(key.Id == repository.CurrentKeySlotId ? "*" : " ")} {key.Id}  {key.Kind,-10}  {key.Created:yyyy-MM-dd HH:mm:ss}  {key.User}@{key.Host}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RemoveCommand()
    {
        var options = new RepositoryOptions();
        var id = new Argument<string>("id") { Description = "The key slot to remove (see forge key list)." };
        var command = options.AddTo(new Command("remove", "Remove a key slot; its passphrase or key file no longer opens the repository.") { id }, json: false);
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            await repository.RemoveKeyAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
            await Output.LineAsync(parse, $"removed key slot {parse.GetValue(id)}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Core.Repository.RepositoryCredentials NewCredentials(string? keyFile)
    {
        if (keyFile is not null)
        {
            return Core.Repository.RepositoryCredentials.FromKeyFile(keyFile);
        }

        if (Environment.GetEnvironmentVariable("FORGE_NEW_PASSPHRASE") is { Length: > 0 } fromEnvironment)
        {
            return Core.Repository.RepositoryCredentials.FromPassphrase(fromEnvironment);
        }

        var typed = PassphrasePrompt.Read("New passphrase: ", confirm: true)
            ?? throw new ArgumentException("No new credential: pass --new-key-file or set FORGE_NEW_PASSPHRASE.");
        try
        {
            return Core.Repository.RepositoryCredentials.FromPassphrase(typed);
        }
        finally
        {
            Array.Clear(typed);
        }
    }
}
