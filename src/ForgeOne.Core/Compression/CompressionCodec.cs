namespace ForgeOne.Core.Compression;

/// <summary>How an object's payload was encoded before encryption.</summary>
/// <remarks>
/// The numeric values are written to disk (one byte per object) and are stable: never renumber or reuse one.
/// A reader that meets a value it does not know must treat the object as unreadable, not guess.
/// </remarks>
public enum CompressionCodec : byte
{
    /// <summary>0: the payload is the original bytes, stored as is because compressing them did not pay.</summary>
    None = 0,

    /// <summary>1: the payload is a single zstd frame (RFC 8878) whose header records the original length.</summary>
    Zstd = 1,
}
