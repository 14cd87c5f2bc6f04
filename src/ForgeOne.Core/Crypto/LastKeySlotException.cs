namespace ForgeOne.Core.Crypto;

/// <summary>
/// Thrown when removing a key slot would leave no slot, making the master key (and so every object)
/// unrecoverable.
/// </summary>
public sealed class LastKeySlotException : KeyException
{
    /// <summary>Creates the exception for the slot that may not be removed.</summary>
    /// <param name="location">Where the key slots live, for example the repository URL or path.</param>
    /// <param name="slotId">Id of the last remaining slot.</param>
    public LastKeySlotException(string location, string slotId)
        : base(
            $"Key slot {slotId} is the last key slot in {location}; removing it would make the repository " +
            "unreadable. Add another key slot first, then remove this one.")
    {
        Location = location;
        SlotId = slotId;
    }

    /// <summary>Where the key slots live.</summary>
    public string Location { get; }

    /// <summary>Id of the slot that was not removed.</summary>
    public string SlotId { get; }
}
