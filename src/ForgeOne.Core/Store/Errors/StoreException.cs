namespace ForgeOne.Core.Store;

/// <summary>A store could not do what was asked: it is missing, in use, or holds something this build cannot use.</summary>
public abstract class StoreException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected StoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
