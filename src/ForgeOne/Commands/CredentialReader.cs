using System.Management.Automation;
using System.Runtime.InteropServices;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Repository;

namespace ForgeOne.Commands;

/// <summary>Turns -Credential and -KeyFile values into Core credentials, keeping the passphrase out of strings.</summary>
internal static class CredentialReader
{
    /// <summary>
    /// Credentials from, in order, the key file, the credential's password, FORGE_KEYFILE and FORGE_PASSPHRASE.
    /// </summary>
    /// <param name="credential">-Credential, or null; its user name is ignored.</param>
    /// <param name="keyFile">-KeyFile resolved to a file system path, or null.</param>
    /// <returns>The credentials; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">Nothing was given anywhere.</exception>
    internal static RepositoryCredentials Require(PSCredential? credential, string? keyFile)
    {
        var passphrase = credential is null ? null : Unprotect(credential);
        try
        {
            return ForgeEnvironment.RequireCredentials(passphrase, keyFile);
        }
        finally
        {
            if (passphrase is not null)
            {
                Array.Clear(passphrase);
            }
        }
    }

    /// <summary>
    /// Store credentials from, in order, the key file, the credential's password, FORGE_STORE_KEYFILE,
    /// FORGE_STORE_PASSPHRASE, store-key-file in the config file, and then the repository's.
    /// </summary>
    /// <param name="credential">-Credential, or null; its user name is ignored.</param>
    /// <param name="keyFile">-KeyFile resolved to a file system path, or null.</param>
    /// <returns>The credentials; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">Nothing was given anywhere.</exception>
    internal static RepositoryCredentials RequireStore(PSCredential? credential, string? keyFile)
    {
        var passphrase = credential is null ? null : Unprotect(credential);
        try
        {
            return ForgeEnvironment.RequireStoreCredentials(passphrase, keyFile);
        }
        finally
        {
            if (passphrase is not null)
            {
                Array.Clear(passphrase);
            }
        }
    }

    /// <summary>Credentials from exactly the credential's password, ignoring the environment.</summary>
    /// <exception cref="ArgumentException">The password is empty.</exception>
    internal static RepositoryCredentials FromCredential(PSCredential credential)
    {
        var passphrase = Unprotect(credential);
        try
        {
            return RepositoryCredentials.FromPassphrase(passphrase);
        }
        finally
        {
            Array.Clear(passphrase);
        }
    }

    private static char[] Unprotect(PSCredential credential)
    {
        var secure = credential.Password;
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            var chars = new char[secure.Length];
            Marshal.Copy(pointer, chars, 0, chars.Length);
            return chars;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
