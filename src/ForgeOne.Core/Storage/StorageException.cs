namespace ForgeOne.Core.Storage;

/// <summary>
/// A storage backend could not do what was asked: the disk is full, access was denied, the service did not
/// answer. The message names the object and the backend location, the problem and what to check.
/// </summary>
/// <remarks>
/// <para>Which failure gets which type:</para>
/// <list type="bullet">
/// <item><description><see cref="ObjectExistsException"/>: a write-once create found the name taken.</description></item>
/// <item><description><see cref="StorageObjectNotFoundException"/>: a read needed an object that does not exist.</description></item>
/// <item><description><see cref="StorageException"/> itself: any other failure of the storage (I/O error, permission,
/// network), with the platform's exception as <see cref="Exception.InnerException"/>.</description></item>
/// </list>
/// <para>
/// Invalid names and other misuse throw <see cref="ArgumentException"/>; cancellation throws
/// <see cref="OperationCanceledException"/>; an exception thrown by a caller's source stream while writing
/// passes through unchanged.
/// </para>
/// </remarks>
public class StorageException : ForgeException
{
    private readonly bool _isTransient;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Names the object and backend location, the problem and what to check.</param>
    /// <param name="innerException">The platform failure behind this one, if any.</param>
    /// <param name="isTransient">True when retrying the same call may succeed (a timeout, a throttled request).</param>
    public StorageException(string message, Exception? innerException = null, bool isTransient = false)
        : base(message, innerException)
    {
        _isTransient = isTransient;
    }

    /// <inheritdoc/>
    public override bool IsTransient => _isTransient;
}
