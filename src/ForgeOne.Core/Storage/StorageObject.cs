namespace ForgeOne.Core.Storage;

/// <summary>An object in a storage backend: its name and size.</summary>
/// <param name="Name">The object's name, valid by the rules of <see cref="StorageName"/>.</param>
/// <param name="Length">The object's size in bytes.</param>
public sealed record StorageObject(string Name, long Length);
