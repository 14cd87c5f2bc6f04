using System.Globalization;

namespace ForgeOne.Core.Store.Blobs;

/// <summary>No blob of the given name or id is in the store.</summary>
public sealed class BlobNotFoundException : StoreException
{
    /// <summary>Creates the exception for a name.</summary>
    /// <param name="name">The name looked for.</param>
    public BlobNotFoundException(string name)
        : base($"There is no blob named '{name}' in the store. Check the name (names are case-sensitive), or list the store's blobs to find it.")
    {
        Name = name;
    }

    /// <summary>Creates the exception for an id.</summary>
    /// <param name="id">The id looked for.</param>
    public BlobNotFoundException(long id)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"There is no blob with id {id} in the store. It may have been removed or replaced (replacing gives a new id); look it up by name instead."))
    {
        Id = id;
    }

    /// <summary>The name looked for, when looked up by name.</summary>
    public string? Name { get; }

    /// <summary>The id looked for, when looked up by id.</summary>
    public long? Id { get; }
}
