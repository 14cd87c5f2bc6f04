using System.Globalization;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Store;

/// <summary>A record is sealed under a key epoch this store's system.redb has no key for.</summary>
public sealed class KeyEpochMissingException : KeyException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">The missing epoch.</param>
    public KeyEpochMissingException(int epoch)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Key epoch {epoch} is not in this store's system.redb. The shard was written by a newer system.redb than the one in place: restore system.redb from the same backup as the shard (Restore-ForgeBackup -Store -Target system.redb)."))
    {
        Epoch = epoch;
    }

    /// <summary>The missing epoch.</summary>
    public int Epoch { get; }
}
