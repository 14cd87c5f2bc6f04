namespace ForgeOne.Core.Repository;

/// <summary>
/// Base for failures of the repository as a whole or of looking something up in it: no repository where one was
/// expected, one already where a new one was to be made, or a snapshot, blob or key slot that is not there.
/// </summary>
/// <remarks>
/// <para>Which failure gets which type:</para>
/// <list type="bullet">
/// <item><description><see cref="RepositoryNotFoundException"/>: open found no <c>config</c> (no repository, or an
/// init that never finished).</description></item>
/// <item><description><see cref="RepositoryExistsException"/>: init found a repository (or a started one) already.</description></item>
/// <item><description><see cref="SnapshotNotFoundException"/>: no snapshot has the given id or prefix.</description></item>
/// <item><description><see cref="BlobNotFoundException"/>: a blob is not in the index.</description></item>
/// <item><description><see cref="KeySlotNotFoundException"/>: no key slot has the given id.</description></item>
/// </list>
/// <para>Other failures keep their own types: stored data that fails a check is an
/// <see cref="Crypto.IntegrityException"/> (<see cref="BlobIntegrityException"/>, <see cref="MalformedPackException"/>,
/// <see cref="ObjectHashMismatchException"/> or one of the envelope's), wrong credentials a
/// <see cref="Crypto.WrongCredentialsException"/>, an unknown format version an
/// <see cref="Crypto.UnsupportedFormatException"/>, and storage failures a <see cref="Storage.StorageException"/>.</para>
/// </remarks>
public abstract class RepositoryException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The backend's location (never contains credentials).</param>
    /// <param name="message">Names the object, the problem and the fix.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    protected RepositoryException(string location, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Location = location;
    }

    /// <summary>Where the repository is (a folder path or container URL), as its backend reports it.</summary>
    public string Location { get; }
}
