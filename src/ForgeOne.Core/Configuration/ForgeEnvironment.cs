using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Configuration;

/// <summary>
/// Where the front ends find the repository, the store and their credentials when the user does not say: explicit
/// parameters first, then the environment (<c>FORGE_REPOSITORY</c>, <c>FORGE_STORE</c>, <c>FORGE_KEYFILE</c>,
/// <c>FORGE_PASSPHRASE</c>, ...), as runbooks and CI jobs set them, then the config file (<see cref="ForgeConfig"/>).
/// </summary>
/// <remarks>The config file is read only when a value is not given by a parameter or the environment.</remarks>
public static class ForgeEnvironment
{
    /// <summary>The variable naming the repository location.</summary>
    public const string RepositoryVariable = "FORGE_REPOSITORY";

    /// <summary>The variable holding the passphrase.</summary>
    public const string PassphraseVariable = "FORGE_PASSPHRASE";

    /// <summary>The variable naming a key file.</summary>
    public const string KeyFileVariable = "FORGE_KEYFILE";

    /// <summary>The variable naming the store folder.</summary>
    public const string StoreVariable = "FORGE_STORE";

    /// <summary>The variable holding the store's passphrase.</summary>
    public const string StorePassphraseVariable = "FORGE_STORE_PASSPHRASE";

    /// <summary>The variable naming the store's key file.</summary>
    public const string StoreKeyFileVariable = "FORGE_STORE_KEYFILE";

    /// <summary>The repository location: <paramref name="location"/>, else <c>FORGE_REPOSITORY</c>, else <c>repository</c> in the config file.</summary>
    /// <param name="location">The location the user gave, or null.</param>
    /// <returns>The location.</returns>
    /// <exception cref="ArgumentException">None is set.</exception>
    /// <exception cref="ForgeConfigException">The config file had to be read and is invalid.</exception>
    public static string ResolveLocation(string? location) =>
        FirstOf(location, RepositoryVariable, ForgeConfig.RepositoryKey)
        ?? throw new ArgumentException($"No repository given: pass -Repository (--repo), set {RepositoryVariable}, or run 'forge config set {ForgeConfig.RepositoryKey} PATH'.");

    /// <summary>The store folder: <paramref name="store"/>, else <c>FORGE_STORE</c>, else <c>store</c> in the config file.</summary>
    /// <param name="store">The folder the user gave, or null.</param>
    /// <returns>The folder, as given (relative paths are the caller's to resolve).</returns>
    /// <exception cref="ArgumentException">None is set.</exception>
    /// <exception cref="ForgeConfigException">The config file had to be read and is invalid.</exception>
    public static string ResolveStoreLocation(string? store) =>
        FirstOf(store, StoreVariable, ForgeConfig.StoreKey)
        ?? throw new ArgumentException($"No store given: pass -Store (--store), set {StoreVariable}, or run 'forge config set {ForgeConfig.StoreKey} PATH'.");

    /// <summary>Opens the storage backend for a location (a local folder for now; cloud URLs come later).</summary>
    /// <param name="location">The repository location.</param>
    /// <returns>The backend.</returns>
    public static IStorageBackend OpenBackend(string location) => new LocalStorageBackend(Path.GetFullPath(location));

    /// <summary>
    /// Repository credentials from, in order: <paramref name="keyFile"/>, <paramref name="passphrase"/>,
    /// <c>FORGE_KEYFILE</c>, <c>FORGE_PASSPHRASE</c>, <c>key-file</c> in the config file; null when none is set, so an
    /// interactive front end may prompt.
    /// </summary>
    /// <param name="passphrase">The passphrase the user gave, or empty.</param>
    /// <param name="keyFile">The key file the user gave, or null.</param>
    /// <returns>The credentials (the caller disposes them), or null.</returns>
    /// <exception cref="ForgeConfigException">The config file had to be read and is invalid.</exception>
    public static RepositoryCredentials? ResolveCredentials(ReadOnlySpan<char> passphrase, string? keyFile) =>
        FromArguments(passphrase, keyFile)
        ?? FromVariables(KeyFileVariable, PassphraseVariable)
        ?? FromConfigKeyFile(ForgeConfig.KeyFileKey);

    /// <summary>As <see cref="ResolveCredentials"/>, but a missing credential is an error saying how to give one.</summary>
    /// <param name="passphrase">The passphrase the user gave, or empty.</param>
    /// <param name="keyFile">The key file the user gave, or null.</param>
    /// <returns>The credentials; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">No credential was given anywhere.</exception>
    public static RepositoryCredentials RequireCredentials(ReadOnlySpan<char> passphrase, string? keyFile) =>
        ResolveCredentials(passphrase, keyFile)
        ?? throw new ArgumentException($"No credentials given: pass -Credential or -KeyFile (--key-file), or set {PassphraseVariable} or {KeyFileVariable}.");

    /// <summary>
    /// Store credentials from, in order: <paramref name="keyFile"/>, <paramref name="passphrase"/>,
    /// <c>FORGE_STORE_KEYFILE</c>, <c>FORGE_STORE_PASSPHRASE</c>, <c>store-key-file</c> in the config file, and then the
    /// repository's (<see cref="ResolveCredentials"/> without arguments), so one secret may serve both; null when none is set.
    /// </summary>
    /// <param name="passphrase">The passphrase the user gave, or empty.</param>
    /// <param name="keyFile">The key file the user gave, or null.</param>
    /// <returns>The credentials (the caller disposes them), or null.</returns>
    /// <exception cref="ForgeConfigException">The config file had to be read and is invalid.</exception>
    public static RepositoryCredentials? ResolveStoreCredentials(ReadOnlySpan<char> passphrase, string? keyFile) =>
        FromArguments(passphrase, keyFile)
        ?? FromVariables(StoreKeyFileVariable, StorePassphraseVariable)
        ?? FromConfigKeyFile(ForgeConfig.StoreKeyFileKey)
        ?? ResolveCredentials([], null);

    /// <summary>As <see cref="ResolveStoreCredentials"/>, but a missing credential is an error saying how to give one.</summary>
    /// <param name="passphrase">The passphrase the user gave, or empty.</param>
    /// <param name="keyFile">The key file the user gave, or null.</param>
    /// <returns>The credentials; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">No credential was given anywhere.</exception>
    public static RepositoryCredentials RequireStoreCredentials(ReadOnlySpan<char> passphrase, string? keyFile) =>
        ResolveStoreCredentials(passphrase, keyFile)
        ?? throw new ArgumentException($"No store credentials given: pass -Credential or -KeyFile (--key-file), set {StorePassphraseVariable} or {StoreKeyFileVariable}, or run 'forge config set {ForgeConfig.StoreKeyFileKey} PATH'.");

    private static string? FirstOf(string? given, string variable, string configKey) =>
        !string.IsNullOrWhiteSpace(given) ? given
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : ForgeConfig.Load().Get(configKey);

    private static RepositoryCredentials? FromArguments(ReadOnlySpan<char> passphrase, string? keyFile) =>
        !string.IsNullOrEmpty(keyFile) ? RepositoryCredentials.FromKeyFile(keyFile)
        : !passphrase.IsEmpty ? RepositoryCredentials.FromPassphrase(passphrase)
        : null;

    private static RepositoryCredentials? FromVariables(string keyFileVariable, string passphraseVariable) =>
        Environment.GetEnvironmentVariable(keyFileVariable) is { Length: > 0 } keyFile ? RepositoryCredentials.FromKeyFile(keyFile)
        : Environment.GetEnvironmentVariable(passphraseVariable) is { Length: > 0 } passphrase ? RepositoryCredentials.FromPassphrase(passphrase)
        : null;

    private static RepositoryCredentials? FromConfigKeyFile(string key) =>
        ForgeConfig.Load().Get(key) is { } keyFile ? RepositoryCredentials.FromKeyFile(keyFile) : null;
}
