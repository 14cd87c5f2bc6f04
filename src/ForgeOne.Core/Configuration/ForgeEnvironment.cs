using ForgeOne.Core.Repository;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Configuration;

/// <summary>
/// Where the front ends find the repository and its credentials when the user does not say: explicit parameters
/// first, then the environment (<c>FORGE_REPOSITORY</c>, <c>FORGE_KEYFILE</c>, <c>FORGE_PASSPHRASE</c>), as runbooks
/// and CI jobs set them.
/// </summary>
public static class ForgeEnvironment
{
    /// <summary>The variable naming the repository location.</summary>
    public const string RepositoryVariable = "FORGE_REPOSITORY";

    /// <summary>The variable holding the passphrase.</summary>
    public const string PassphraseVariable = "FORGE_PASSPHRASE";

    /// <summary>The variable naming a key file.</summary>
    public const string KeyFileVariable = "FORGE_KEYFILE";

    /// <summary>The repository location: <paramref name="location"/>, else <c>FORGE_REPOSITORY</c>.</summary>
    /// <exception cref="ArgumentException">Neither is set.</exception>
    public static string ResolveLocation(string? location) =>
        !string.IsNullOrWhiteSpace(location) ? location
        : Environment.GetEnvironmentVariable(RepositoryVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : throw new ArgumentException($"No repository given: pass -Repository (--repo) or set {RepositoryVariable}.");

    /// <summary>Opens the storage backend for a location (a local folder for now; cloud URLs come later).</summary>
    public static IStorageBackend OpenBackend(string location) => new LocalStorageBackend(Path.GetFullPath(location));

    /// <summary>
    /// Credentials from, in order: <paramref name="keyFile"/>, <paramref name="passphrase"/>, <c>FORGE_KEYFILE</c>,
    /// <c>FORGE_PASSPHRASE</c>; null when none is set, so an interactive front end may prompt.
    /// </summary>
    public static RepositoryCredentials? ResolveCredentials(ReadOnlySpan<char> passphrase, string? keyFile)
    {
        if (!string.IsNullOrEmpty(keyFile))
        {
            return RepositoryCredentials.FromKeyFile(keyFile);
        }

        if (!passphrase.IsEmpty)
        {
            return RepositoryCredentials.FromPassphrase(passphrase);
        }

        if (Environment.GetEnvironmentVariable(KeyFileVariable) is { Length: > 0 } keyFileFromEnvironment)
        {
            return RepositoryCredentials.FromKeyFile(keyFileFromEnvironment);
        }

        return Environment.GetEnvironmentVariable(PassphraseVariable) is { Length: > 0 } passphraseFromEnvironment
            ? RepositoryCredentials.FromPassphrase(passphraseFromEnvironment)
            : null;
    }

    /// <summary>As <see cref="ResolveCredentials"/>, but a missing credential is an error saying how to give one.</summary>
    /// <exception cref="ArgumentException">No credential was given anywhere.</exception>
    public static RepositoryCredentials RequireCredentials(ReadOnlySpan<char> passphrase, string? keyFile) =>
        ResolveCredentials(passphrase, keyFile)
        ?? throw new ArgumentException($"No credentials given: pass -Credential or -KeyFile (--key-file), or set {PassphraseVariable} or {KeyFileVariable}.");
}
