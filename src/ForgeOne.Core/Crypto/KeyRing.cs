namespace ForgeOne.Core.Crypto;

/// <summary>
/// The key slots of one repository, and the one place that turns a credential into the
/// <see cref="MasterKey"/>: it tries every slot of the matching kind and either returns the key or throws
/// <see cref="WrongCredentialsException"/>.
/// </summary>
/// <remarks>
/// Adding a slot (made from the unlocked master key) or removing one changes who can unlock without
/// re-encrypting any data. Persisting the slots is the repository layer's job (<see cref="KeySlot.ToJson"/>).
/// Not thread-safe for mutation; unlocking from several threads is safe while nobody mutates.
/// </remarks>
public sealed class KeyRing
{
    private readonly List<KeySlot> _slots;

    /// <summary>Creates a key ring over existing slots.</summary>
    /// <param name="location">Where the slots live (repository URL or path); used in messages only.</param>
    /// <param name="slots">The slots, for example parsed with <see cref="KeySlot.Parse"/>.</param>
    /// <exception cref="ArgumentException">Two slots share an id.</exception>
    public KeyRing(string location, IEnumerable<KeySlot> slots)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(slots);
        Location = location;
        _slots = [];
        foreach (var slot in slots)
        {
            Add(slot);
        }
    }

    /// <summary>Where the slots live, as given at construction.</summary>
    public string Location { get; }

    /// <summary>The slots, in the order added.</summary>
    public IReadOnlyList<KeySlot> Slots => _slots;

    /// <summary>Adds a slot.</summary>
    /// <param name="slot">A slot wrapping this repository's master key.</param>
    /// <exception cref="ArgumentException">A slot with the same id is already present.</exception>
    public void Add(KeySlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (_slots.Exists(s => s.Id == slot.Id))
        {
            throw new ArgumentException($"Key slot {slot.Id} is already in {Location}.", nameof(slot));
        }

        _slots.Add(slot);
    }

    /// <summary>Removes the slot with id <paramref name="slotId"/>.</summary>
    /// <param name="slotId">The slot's 16-hex-digit id.</param>
    /// <returns>False when no slot has that id.</returns>
    /// <exception cref="LastKeySlotException">It is the only slot; removing it would lose the master key.</exception>
    public bool Remove(string slotId)
    {
        var index = _slots.FindIndex(s => s.Id == slotId);
        if (index < 0)
        {
            return false;
        }

        if (_slots.Count == 1)
        {
            throw new LastKeySlotException(Location, slotId);
        }

        _slots.RemoveAt(index);
        return true;
    }

    /// <summary>Unlocks with a passphrase, trying each passphrase slot in turn.</summary>
    /// <param name="passphrase">The passphrase; never copied into a message.</param>
    /// <returns>The master key; the caller must dispose it.</returns>
    /// <exception cref="WrongCredentialsException">No passphrase slot opens with it.</exception>
    /// <exception cref="ArgumentException">The passphrase is empty or not encodable.</exception>
    public MasterKey Unlock(ReadOnlySpan<char> passphrase)
    {
        foreach (var slot in _slots)
        {
            if (slot.TryUnlockWithPassphrase(passphrase, out var key))
            {
                return key;
            }
        }

        throw new WrongCredentialsException(Location, KeySlotKind.Passphrase);
    }

    /// <summary>Unlocks with a key file's contents, trying each key-file slot in turn.</summary>
    /// <param name="keyFile">The key file's bytes, as from <see cref="KeyFile.Read"/>.</param>
    /// <returns>The master key; the caller must dispose it.</returns>
    /// <exception cref="WrongCredentialsException">No key-file slot opens with it.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyFile"/> is not <see cref="KeyFile.Size"/> bytes.</exception>
    public MasterKey UnlockWithKeyFile(ReadOnlySpan<byte> keyFile)
    {
        foreach (var slot in _slots)
        {
            if (slot.TryUnlockWithKeyFile(keyFile, out var key))
            {
                return key;
            }
        }

        throw new WrongCredentialsException(Location, KeySlotKind.KeyFile);
    }
}
