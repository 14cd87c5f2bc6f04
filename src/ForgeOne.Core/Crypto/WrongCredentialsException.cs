namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when no key slot opens with the given passphrase or key file.
/// </summary>
/// <remarks>
/// A wrong passphrase, a wrong key file and a key slot whose wrapped key was tampered with are
/// indistinguishable by design (all fail the same authentication tag), so they all get this type.
/// The message never says which slot came "close", and never contains the credential.
/// </remarks>
public sealed class WrongCredentialsException : KeyException
{
    /// <summary>Creates the exception for a failed unlock of the key slots at <paramref name="location"/>.</summary>
    /// <param name="location">Where the key slots live, for example the repository URL or path.</param>
    /// <param name="attempted">Which kind of credential was tried; picks the advice in the message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public WrongCredentialsException(string location, KeySlotKind attempted, Exception? innerException = null)
        : base(BuildMessage(location, attempted), innerException)
    {
        Location = location;
        Attempted = attempted;
    }

    /// <summary>Where the key slots live, as given by the caller (a repository URL or path).</summary>
    public string Location { get; }

    /// <summary>Which kind of credential was tried.</summary>
    public KeySlotKind Attempted { get; }

    private static string BuildMessage(string location, KeySlotKind attempted) => attempted switch
    {
        KeySlotKind.KeyFile =>
            $"No key slot in {location} opens with the given key file. Check the -KeyFile / --key-file path, " +
            "or use another key slot's passphrase.",
        _ =>
            $"No key slot in {location} opens with the given passphrase. Check FORGE_PASSPHRASE or -Credential, " +
            "or use another key slot's key file.",
    };
}
