using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// An object named by the BLAKE3 hash of its bytes (a pack, index file or snapshot) has bytes that hash to something
/// else: it was modified, or stored under another object's name.
/// </summary>
/// <remarks>Anyone can run this check without a key; it runs before the object is decrypted.</remarks>
public sealed class ObjectHashMismatchException : IntegrityException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="objectName">The object's storage name, for example <c>snapshots/9b1e…</c>.</param>
    /// <param name="kind">The kind of object.</param>
    /// <param name="expectedHash">The hash its name promises (lower-case hex).</param>
    /// <param name="actualHash">The hash of its bytes (lower-case hex).</param>
    public ObjectHashMismatchException(string objectName, ObjectKind kind, string expectedHash, string actualHash)
        : base(
            $"Object '{objectName}' does not match its name: its bytes hash to {actualHash}, so it was modified or " +
            "stored under another name. Run Test-ForgeRepository (forge check) and restore the object from another copy.",
            kind,
            expectedHash)
    {
        ObjectName = objectName;
        ActualHash = actualHash;
    }

    /// <summary>The object's storage name.</summary>
    public string ObjectName { get; }

    /// <summary>The hash of the object's bytes.</summary>
    public string ActualHash { get; }
}
