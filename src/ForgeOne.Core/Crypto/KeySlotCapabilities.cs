namespace ForgeOne.Core.Crypto;

/// <summary>What a key slot's holder may do. JSON: the <c>capabilities</c> array of lower-case names.</summary>
/// <remarks>
/// Every slot this build writes holds the master key and so has <see cref="Read"/> | <see cref="Write"/>.
/// A future write-only slot (<see cref="Write"/> alone) will hold a public key instead of the master key,
/// letting a host back up without being able to read backups; this build refuses such slots with
/// <see cref="UnsupportedFormatException"/> rather than misreading them.
/// </remarks>
[Flags]
public enum KeySlotCapabilities
{
    /// <summary>No capability; never valid in a slot.</summary>
    None = 0,

    /// <summary>May open objects (JSON <c>"read"</c>).</summary>
    Read = 1,

    /// <summary>May seal new objects (JSON <c>"write"</c>).</summary>
    Write = 2,
}
