using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Crypto;

// Fixed-size buffers inlined into their owners, so hashing state needs no extra allocations.

/// <summary>Eight 32-bit words: a key or a chaining value.</summary>
[InlineArray(8)]
internal struct Blake3Words8
{
    private uint _element0;
}

/// <summary>Sixteen 32-bit words: the compression state.</summary>
[InlineArray(16)]
internal struct Blake3Words16
{
    private uint _element0;
}

/// <summary>One 64-byte message block.</summary>
[InlineArray(Blake3Compression.BlockLength)]
internal struct Blake3Block
{
    private byte _element0;
}

/// <summary>The chaining values of complete subtrees awaiting their right siblings, 32 bytes each.</summary>
[InlineArray(Blake3Compression.MaxDepth * Blake3Compression.OutLength)]
internal struct Blake3CvStack
{
    private byte _element0;
}
