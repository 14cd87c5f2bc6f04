using System.CommandLine;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Store;

namespace ForgeOne.Cli;

/// <summary>
/// The options every store command shares (<c>--store</c>, <c>--key-file</c>, <c>--json</c>) and how they open the
/// store: flags, then FORGE_STORE / FORGE_STORE_KEYFILE / FORGE_STORE_PASSPHRASE, then the config file, then the
/// repository's credentials, then a prompt at a terminal.
/// </summary>
internal sealed class StoreOptions
{
    private const string KeyFileDescription = "Key file opening a store key slot (default: $FORGE_STORE_KEYFILE, $FORGE_STORE_PASSPHRASE, 'store-key-file' in the config file, then the repository's; else a prompt).";

    internal StoreOptions(params string[] storeAliases)
        : this("--key-file", storeAliases)
    {
    }

    private StoreOptions(string keyFileName, string[] storeAliases)
    {
        Store = new Option<string?>("--store", storeAliases) { Description = "Store folder (default: $FORGE_STORE, then 'store' in the config file)." };
        KeyFile = new Option<string?>(keyFileName) { Description = KeyFileDescription };
    }

    internal Option<string?> Store { get; }

    internal Option<string?> KeyFile { get; }

    internal Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON (the PowerShell object's fields, camelCase)." };

    /// <summary>
    /// The store options of a command that also opens a repository: its <c>--key-file</c> is the repository's, so the
    /// store's is <c>--store-key-file</c>.
    /// </summary>
    internal static StoreOptions BesideRepository() => new("--store-key-file", []);

    /// <summary>True when a store is named by the flag, FORGE_STORE or the config file.</summary>
    internal bool IsGiven(ParseResult parse)
    {
        try
        {
            ForgeEnvironment.ResolveStoreLocation(parse.GetValue(Store));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    internal Command AddTo(Command command, bool json = true)
    {
        command.Options.Add(Store);
        command.Options.Add(KeyFile);
        if (json)
        {
            command.Options.Add(Json);
        }

        return command;
    }

    internal string Location(ParseResult parse) => Path.GetFullPath(ForgeEnvironment.ResolveStoreLocation(parse.GetValue(Store)));

    /// <summary>Credentials from the flags, the environment, the config file or (at a terminal) a prompt.</summary>
    internal RepositoryCredentials Credentials(ParseResult parse, bool confirmPrompt = false)
    {
        if (ForgeEnvironment.ResolveStoreCredentials([], parse.GetValue(KeyFile)) is { } credentials)
        {
            return credentials;
        }

        var typed = PassphrasePrompt.Read($"Passphrase for store {Location(parse)}: ", confirmPrompt)
            ?? throw new ArgumentException($"No store credentials: set {ForgeEnvironment.StorePassphraseVariable} or {ForgeEnvironment.StoreKeyFileVariable}, pass --key-file, or run 'forge config set {ForgeConfig.StoreKeyFileKey} PATH'.");
        try
        {
            return RepositoryCredentials.FromPassphrase(typed);
        }
        finally
        {
            Array.Clear(typed);
        }
    }

    /// <summary>Opens the store the flags name.</summary>
    internal ForgeStore Open(ParseResult parse)
    {
        var location = Location(parse);
        using var credentials = Credentials(parse);
        return ForgeStore.Open(location, credentials);
    }
}
