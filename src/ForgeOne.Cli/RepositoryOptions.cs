using System.CommandLine;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Repository;

namespace ForgeOne.Cli;

/// <summary>
/// The options every repository command shares (<c>--repo</c>, <c>--key-file</c>, <c>--json</c>) and how they open
/// the repository: flags, then FORGE_REPOSITORY / FORGE_KEYFILE / FORGE_PASSPHRASE, then a prompt at a terminal.
/// </summary>
internal sealed class RepositoryOptions
{
    internal Option<string?> Repository { get; } = new("--repo", "-r") { Description = "Repository folder (default: $FORGE_REPOSITORY)." };

    internal Option<string?> KeyFile { get; } = new("--key-file") { Description = "Key file opening a key slot (default: $FORGE_KEYFILE; else $FORGE_PASSPHRASE or a prompt)." };

    internal Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON (the PowerShell object's fields, camelCase)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    internal Command AddTo(Command command, bool json = true)
    {
        command.Options.Add(Repository);
        command.Options.Add(KeyFile);
        if (json)
        {
            command.Options.Add(Json);
        }

        return command;
    }

    internal string Location(ParseResult parse) => ForgeEnvironment.ResolveLocation(parse.GetValue(Repository));

    /// <summary>Credentials from the flags, the environment or (at a terminal) a prompt.</summary>
    internal RepositoryCredentials Credentials(ParseResult parse, bool confirmPrompt = false)
    {
        if (ForgeEnvironment.ResolveCredentials([], parse.GetValue(KeyFile)) is { } credentials)
        {
            return credentials;
        }

        var typed = PassphrasePrompt.Read($"Passphrase for {Location(parse)}: ", confirmPrompt)
            ?? throw new ArgumentException($"No credentials: set {ForgeEnvironment.PassphraseVariable} or {ForgeEnvironment.KeyFileVariable}, or pass --key-file.");
        try
        {
            return RepositoryCredentials.FromPassphrase(typed);
        }
        finally
        {
            Array.Clear(typed);
        }
    }

    /// <summary>Opens the repository the flags name.</summary>
    internal async Task<Repository> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var credentials = Credentials(parse);
        return await Core.Repository.Repository.OpenAsync(ForgeEnvironment.OpenBackend(Location(parse)), credentials, cancellationToken).ConfigureAwait(false);
    }
}
