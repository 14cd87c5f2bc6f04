namespace ForgeOne.Core.Storage;

/// <summary>Conveniences built on <see cref="IStorageBackend"/>'s primitives, the same for every backend.</summary>
public static class StorageBackendExtensions
{
    /// <summary>
    /// The largest object <see cref="ReadAllAsync(IStorageBackend, string, CancellationToken)"/> reads, 256 MiB:
    /// far above any index, snapshot or key object, low enough that a damaged or hostile repository cannot make a
    /// client allocate gigabytes.
    /// </summary>
    public const long DefaultReadAllLimit = 256L * 1024 * 1024;

    /// <summary>Reads a whole object into memory, refusing objects larger than <see cref="DefaultReadAllLimit"/>.</summary>
    /// <param name="backend">The backend to read from.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object's bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="backend"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="StorageObjectNotFoundException">There is no object under <paramref name="name"/>.</exception>
    /// <exception cref="StorageException">
    /// The object is larger than the limit or changed size while being read, or the storage could not be read.
    /// </exception>
    public static Task<byte[]> ReadAllAsync(this IStorageBackend backend, string name,
        CancellationToken cancellationToken = default) =>
        ReadAllAsync(backend, name, DefaultReadAllLimit, cancellationToken);

    /// <summary>Reads a whole object into memory, refusing objects larger than <paramref name="maximumLength"/>.</summary>
    /// <param name="backend">The backend to read from.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="maximumLength">
    /// The largest accepted size in bytes, at most <see cref="Array.MaxLength"/>. Pick the largest size the object
    /// can legitimately have, so a damaged repository fails fast instead of exhausting memory.
    /// </param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object's bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="backend"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumLength"/> is negative or above <see cref="Array.MaxLength"/>.</exception>
    /// <exception cref="StorageObjectNotFoundException">There is no object under <paramref name="name"/>.</exception>
    /// <exception cref="StorageException">
    /// The object is larger than <paramref name="maximumLength"/> or changed size while being read, or the storage
    /// could not be read.
    /// </exception>
    public static async Task<byte[]> ReadAllAsync(this IStorageBackend backend, string name, long maximumLength,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        StorageName.Validate(name);
        ArgumentOutOfRangeException.ThrowIfNegative(maximumLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maximumLength, Array.MaxLength);

        var stat = await backend.StatAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageObjectNotFoundException(name, backend.Location);
        if (stat.Length > maximumLength)
        {
            throw new StorageException(
                $"Object '{name}' in '{backend.Location}' is {stat.Length} bytes, more than the {maximumLength} bytes " +
                "expected for it, so it was not read. An object this large here suggests a damaged or tampered " +
                "repository; check the repository's integrity.");
        }

        var content = new byte[stat.Length];
        var read = await backend.ReadAsync(name, 0, content, cancellationToken).ConfigureAwait(false);

        // Objects are immutable, so a short read means the object was deleted and recreated mid-read, or the
        // storage is misbehaving; either way these bytes are not one consistent object.
        if (read != content.Length)
        {
            throw new StorageException(
                $"Object '{name}' in '{backend.Location}' changed size while being read (expected {stat.Length} bytes). " +
                "Objects are never modified in place; check whether another process deleted and rewrote it, then retry.",
                isTransient: true);
        }

        return content;
    }

    /// <summary>The names of every object under <paramref name="prefix"/>, in ordinal order (backends list in any order).</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="prefix">The prefix, for example <c>index/</c>.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The full names, sorted.</returns>
    public static async Task<List<string>> ListNamesAsync(this IStorageBackend backend, string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var names = new List<string>();
        await foreach (var item in backend.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
