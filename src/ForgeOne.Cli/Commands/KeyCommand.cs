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

        return new Command("key", "Manage keys and key files.") { newCommand };
    }
}
