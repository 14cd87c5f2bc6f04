namespace ForgeOne.Core.Storage;

/// <summary>
/// Where a repository's objects (packs, index files, snapshots, key slots, locks, config) are stored: a flat
/// map from names to immutable byte strings, implementable on a local folder, Azure Blob Storage or S3.
/// </summary>
/// <remarks>
/// <para>The contract every implementation keeps, and the only things callers may rely on:</para>
/// <list type="bullet">
/// <item><description><b>Names</b> follow <see cref="StorageName"/>. Every member validates its name first and throws
/// <see cref="ArgumentException"/> for an invalid one. A name is never both an object and the folder of another
/// object (<c>a</c> and <c>a/b</c>), because file systems cannot store that.</description></item>
/// <item><description><b>Atomic create, never overwrite.</b> <c>WriteOnceAsync</c> makes the object appear whole under its
/// name or not at all: no reader, lister or later process ever sees a partial object under the final name, even if
/// the writer is killed or cancelled. If the name exists, it throws <see cref="ObjectExistsException"/> and leaves the
/// existing object unchanged; of any number of concurrent writers of one name, exactly one succeeds. This is the
/// repository's commit primitive (writing a snapshot object commits the snapshot; writing a lock object takes the
/// lock).</description></item>
/// <item><description><b>Durable on return.</b> When <c>WriteOnceAsync</c> returns, the object survives a crash or power
/// failure to the extent the medium allows.</description></item>
/// <item><description><b>Objects are immutable</b> until deleted; there is no append and no rename.</description></item>
/// <item><description><b>No listing order.</b> <see cref="ListAsync"/> returns matching objects in no particular order,
/// which may differ between calls; sort the results if order matters.</description></item>
/// <item><description><b>Idempotent delete.</b> Deleting a missing object succeeds.</description></item>
/// <item><description><b>Missing objects</b>: <see cref="StatAsync"/> returns null; reads throw
/// <see cref="StorageObjectNotFoundException"/>.</description></item>
/// <item><description><b>Errors</b> of the storage itself are <see cref="StorageException"/>s that keep the platform's
/// exception as the inner exception. Cancellation throws <see cref="OperationCanceledException"/>.</description></item>
/// </list>
/// <para>
/// Nothing here assumes a POSIX file system: no rename, no directories, no listing order. Implementations are safe to
/// call concurrently from many threads and processes.
/// </para>
/// </remarks>
public interface IStorageBackend : IAsyncDisposable
{
    /// <summary>
    /// Describes where the objects are (a folder path, a container URL without its query string) for messages and
    /// logs. Never contains credentials or a shared access signature.
    /// </summary>
    string Location { get; }

    /// <summary>Lists every object whose name starts with <paramref name="prefix"/>, at any depth.</summary>
    /// <param name="prefix">
    /// A valid prefix (see <see cref="StorageName.ValidatePrefix"/>): <c>""</c> for all objects, <c>"snapshots/"</c> for
    /// the objects under <c>snapshots</c>, <c>"data/3"</c> for those whose name starts with that text. Plain string
    /// prefix matching: <c>"data"</c> also matches <c>"database/x"</c>.
    /// </param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <returns>
    /// The matching objects, in <b>no guaranteed order</b>, streamed as they are found rather than collected first.
    /// Objects created or deleted while the listing runs may or may not be included; unfinished writes never are.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is invalid.</exception>
    /// <exception cref="StorageException">The storage could not be listed.</exception>
    IAsyncEnumerable<StorageObject> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Looks up one object.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The object's name and size, or null when there is no object under <paramref name="name"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="StorageException">The storage could not be queried.</exception>
    Task<StorageObject?> StatAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Reads a range of an object into <paramref name="buffer"/>.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="offset">Where to start reading, in bytes from the start of the object; may be at or past the end.</param>
    /// <param name="buffer">Receives up to <c>buffer.Length</c> bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The number of bytes read: <c>buffer.Length</c>, or fewer only when the object ends first (0 when
    /// <paramref name="offset"/> is at or past the end). Never a short read in the middle of an object.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="StorageObjectNotFoundException">There is no object under <paramref name="name"/>.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    Task<int> ReadAsync(string name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Opens an object for streaming it from the start, for objects too large to hold in memory.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels opening (pass tokens to the stream's reads separately).</param>
    /// <returns>A readable stream of the object's bytes; the caller disposes it.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="StorageObjectNotFoundException">There is no object under <paramref name="name"/>.</exception>
    /// <exception cref="StorageException">The storage could not be read.</exception>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates an object atomically with the given content; fails if the name is taken.</summary>
    /// <param name="name">The new object's name.</param>
    /// <param name="content">The object's complete content; may be empty.</param>
    /// <param name="cancellationToken">
    /// Cancels the write. A cancelled write leaves no object under <paramref name="name"/>; once the object has
    /// appeared, the write completes instead of reporting cancellation.
    /// </param>
    /// <returns>A task that completes when the object is stored whole and durably.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="ObjectExistsException">An object named <paramref name="name"/> exists; it was left unchanged.</exception>
    /// <exception cref="StorageException">The storage could not be written; no object was created.</exception>
    Task WriteOnceAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an object atomically from a stream read to its end; fails if the name is taken. The same contract as
    /// the <see cref="ReadOnlyMemory{T}"/> overload, for content too large to hold in memory.
    /// </summary>
    /// <param name="name">The new object's name.</param>
    /// <param name="content">Read from its current position to its end; not disposed.</param>
    /// <param name="cancellationToken">
    /// Cancels the write. A cancelled write leaves no object under <paramref name="name"/>.
    /// </param>
    /// <returns>A task that completes when the object is stored whole and durably.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid or <paramref name="content"/> is not readable.</exception>
    /// <exception cref="ObjectExistsException">An object named <paramref name="name"/> exists; it was left unchanged.</exception>
    /// <exception cref="StorageException">The storage could not be written; no object was created.</exception>
    /// <remarks>
    /// An exception thrown by <paramref name="content"/> itself passes through unchanged, and no object is created.
    /// </remarks>
    Task WriteOnceAsync(string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object. Deleting a missing object is not an error.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task that completes when no object exists under <paramref name="name"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="StorageException">The storage could not delete the object.</exception>
    Task DeleteAsync(string name, CancellationToken cancellationToken = default);
}
