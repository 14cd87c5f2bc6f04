namespace ForgeOne.Core.Crypto;

/// <summary>
/// Base for credential problems: a passphrase or key file that opens no key slot, a key file of the
/// wrong shape, or a change that would lock every user out.
/// </summary>
/// <remarks>
/// Catch this type to handle "the user must supply other credentials". Data that fails its checks is an
/// <see cref="IntegrityException"/> instead, and a format this build cannot read is an
/// <see cref="UnsupportedFormatException"/>. Messages never contain a passphrase or key bytes.
/// </remarks>
public abstract class KeyException : ForgeException
{
    /// <summary>Creates the exception with a user-facing message and the failure that caused it.</summary>
    /// <param name="message">Names the object, the problem and the fix; never a secret.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    protected KeyException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
