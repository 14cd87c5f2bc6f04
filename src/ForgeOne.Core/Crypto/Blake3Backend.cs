namespace ForgeOne.Core.Crypto;

/// <summary>
/// Which kernel compresses many chunks (or parent nodes) at once. Tests and benchmarks force each one
/// in turn; production code passes <see cref="Auto"/>.
/// </summary>
internal enum Blake3Backend
{
    /// <summary>The widest vector kernel the CPU accelerates.</summary>
    Auto = 0,

    /// <summary>One block at a time with scalar code.</summary>
    Scalar,

    /// <summary>Four inputs at once in 128-bit vectors.</summary>
    Vector128,

    /// <summary>Eight inputs at once in 256-bit vectors.</summary>
    Vector256,

    /// <summary>Sixteen inputs at once in 512-bit vectors.</summary>
    Vector512,
}
