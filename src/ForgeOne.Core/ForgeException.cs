namespace ForgeOne.Core;

/// <summary>
/// A failure a user can act on. Misuse of the API throws <see cref="ArgumentException"/> instead.
/// </summary>
/// <remarks>
/// Every message names the object, the problem and the fix, and never contains a secret.
/// Front ends map each concrete subtype to one error id (PowerShell) or exit code (<c>forge</c>).
/// </remarks>
public abstract class ForgeException : Exception
{
    /// <summary>Creates the exception with a user-facing message and the failure that caused it.</summary>
    protected ForgeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the same call may succeed later (a lock held, a network blip).</summary>
    public virtual bool IsTransient => false;
}
