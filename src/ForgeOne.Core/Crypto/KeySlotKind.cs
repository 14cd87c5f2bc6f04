namespace ForgeOne.Core.Crypto;

/// <summary>How a key slot's key-encryption key (KEK) is obtained.</summary>
/// <remarks>The JSON names in the key slot format are given per member; they never change.</remarks>
public enum KeySlotKind
{
    /// <summary>KEK = Argon2id(passphrase); JSON <c>"passphrase-argon2id"</c>.</summary>
    Passphrase = 1,

    /// <summary>KEK derived from a 32-byte key file; JSON <c>"key-file"</c>.</summary>
    KeyFile = 2,
}
