namespace ForgeOne.Core.Repository;

/// <summary>No key slot with the given id exists in the repository; nothing was changed.</summary>
public sealed class KeySlotNotFoundException : RepositoryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The backend's location.</param>
    /// <param name="slotId">The id that matched no slot.</param>
    public KeySlotNotFoundException(string location, string slotId)
        : base(location,
            $"No key slot '{slotId}' in '{location}'. List the key slots with Get-ForgeKey (forge key list) and use " +
            "one of their ids.")
    {
        SlotId = slotId;
    }

    /// <summary>The id that matched no slot.</summary>
    public string SlotId { get; }
}
