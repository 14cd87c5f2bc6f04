using System.CommandLine;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Repository.Locking;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge repo init|unlock</c>.</summary>
internal static class RepoCommand
{
    internal static Command Create()
    {
        var options = new RepositoryOptions();
        var init = options.AddTo(new Command("init", "Create a new, empty repository: a random master key in a key slot opened by the passphrase or --key-file."));
        init.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var location = options.Location(parse);
            using var credentials = options.Credentials(parse, confirmPrompt: true);
            await using var repository = await Repository.InitAsync(ForgeEnvironment.OpenBackend(location), credentials, null, ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, new { repository = location, id = repository.Config.Id, keySlot = repository.CurrentKeySlotId }).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, $"created repository {repository.Config.Id[..8]} at {location}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));

        var all = new Option<bool>("--remove-all") { Description = "Remove every lock, not only stale ones (only when no ForgeOne process uses the repository)." };
        var unlock = options.AddTo(new Command("unlock", "Remove stale locks left by processes that died.") { all });
        unlock.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            var locks = repository.CreateLockManager();
            var removed = parse.GetValue(all) ? await locks.RemoveAllAsync(ct).ConfigureAwait(false) : await locks.RemoveStaleAsync(ct).ConfigureAwait(false);
            await Output.LineAsync(parse, $"removed {removed} lock(s)").ConfigureAwait(false);
            return ExitCodes.Success;
        }));

        return new Command("repo", "Create repositories and clear their stale locks.") { init, unlock };
    }
}
