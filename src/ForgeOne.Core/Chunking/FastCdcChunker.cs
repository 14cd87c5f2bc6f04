using System.Numerics;

namespace ForgeOne.Core.Chunking;

/// <summary>
/// Finds content-defined chunk boundaries with FastCDC (Xia et al., "FastCDC: A Fast and Efficient
/// Content-Defined Chunking Approach for Data Deduplication", IEEE TPDS 2020), keyed by a secret
/// <see cref="GearTable"/>.
/// </summary>
/// <remarks>
/// <para>The algorithm, for a chunk starting at offset 0 of <c>data</c>:</para>
/// <list type="bullet">
/// <item><description>Gear hash: <c>hash = (hash &lt;&lt; 1) + gear[data[i]]</c> modulo 2^64, starting from
/// <c>hash = 0</c> at <c>i = MinimumSize</c>. Bytes before the minimum are skipped, never hashed (cut-point
/// skipping).</description></item>
/// <item><description>Normalized chunking, level 2: with <c>b = log2(AverageSize)</c>, positions
/// <c>i &lt; AverageSize</c> use mask <c>MaskS</c> with <c>b + 2</c> bits set (cuts rarer), positions
/// <c>i ≥ AverageSize</c> use <c>MaskL</c> with <c>b - 2</c> bits set (cuts more frequent).</description></item>
/// <item><description>Mask bits are spread over bits 0–47 (see <see cref="SpreadMask"/>) rather than packed
/// at the bottom, so that a cut depends on the last 48 bytes instead of the last <c>b</c>.</description></item>
/// <item><description>A cut is made after byte <c>i</c> (chunk length <c>i + 1</c>) at the first
/// <c>i</c> where <c>(hash &amp; mask) == 0</c>; if none is found before <c>MaximumSize</c>, the chunk is
/// <c>MaximumSize</c> bytes long.</description></item>
/// <item><description>The loop consumes two bytes per step with a table of gear values shifted left by one
/// (the paper's "rolling two bytes each time"); it finds exactly the cut points of the byte-at-a-time loop
/// while doing one shift per two bytes.</description></item>
/// </list>
/// <para>
/// This is written by hand because the platform and the libraries we use have no CDC. Instances are
/// immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class FastCdcChunker
{
    // Mask bits are spread over this many low bits of the hash: the effective sliding window in bytes.
    private const int MaskWindowBits = 48;

    private readonly ulong[] _gear;
    private readonly ulong[] _gearShifted;
    private readonly int _minimumSize;
    private readonly int _averageSize;
    private readonly int _maximumSize;
    private readonly ulong _maskS;
    private readonly ulong _maskL;

    /// <summary>Creates a chunker for the given gear table and sizes.</summary>
    /// <param name="gearTable">The secret-derived gear table.</param>
    /// <param name="options">The chunk sizes; <see cref="ChunkerOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="gearTable"/> is null.</exception>
    public FastCdcChunker(GearTable gearTable, ChunkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gearTable);
        Options = options ?? ChunkerOptions.Default;
        _gear = gearTable.Values;
        _gearShifted = gearTable.ShiftedValues;
        _minimumSize = Options.MinimumSize;
        _averageSize = Options.AverageSize;
        _maximumSize = Options.MaximumSize;
        var bits = BitOperations.Log2((uint)_averageSize);
        _maskS = SpreadMask(bits + 2);
        _maskL = SpreadMask(bits - 2);
    }

    /// <summary>The chunk sizes this chunker enforces.</summary>
    public ChunkerOptions Options { get; }

    /// <summary>
    /// Returns a 64-bit mask with <paramref name="bitCount"/> bits set, spread evenly over bits 0–47 with the
    /// top one at bit 47: bit <c>47 - floor(k * 48 / bitCount)</c> for <c>k</c> = 0 … <paramref name="bitCount"/> - 1.
    /// </summary>
    /// <param name="bitCount">How many bits to set, 1 to 48.</param>
    /// <returns>The mask.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bitCount"/> is not between 1 and 48.</exception>
    public static ulong SpreadMask(int bitCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, MaskWindowBits);
        ulong mask = 0;
        for (var k = 0; k < bitCount; k++)
        {
            mask |= 1UL << (MaskWindowBits - 1 - (k * MaskWindowBits / bitCount));
        }

        return mask;
    }

    /// <summary>
    /// Returns the length of the chunk that starts at the beginning of <paramref name="data"/>. Allocation-free.
    /// </summary>
    /// <param name="data">
    /// The bytes from the chunk's start onwards. Pass at least <see cref="ChunkerOptions.MaximumSize"/> bytes
    /// while the stream goes on; pass fewer only when they are all that is left of the stream.
    /// </param>
    /// <returns>
    /// <list type="bullet">
    /// <item><description>0 when <paramref name="data"/> is empty;</description></item>
    /// <item><description><paramref name="data"/>.Length when it is at most
    /// <see cref="ChunkerOptions.MinimumSize"/> (the final, short chunk of a stream);</description></item>
    /// <item><description>otherwise the content-defined cut, which is greater than the minimum and at most
    /// min(<paramref name="data"/>.Length, <see cref="ChunkerOptions.MaximumSize"/>); when the data runs out
    /// before a cut and is shorter than the maximum, the result is <paramref name="data"/>.Length.</description></item>
    /// </list>
    /// A cut found within shorter data is the same cut that longer data would give, so the end of a stream
    /// never moves earlier boundaries.
    /// </returns>
    public unsafe int FindCutPoint(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        if (length <= _minimumSize)
        {
            return length;
        }

        if (length > _maximumSize)
        {
            length = _maximumSize;
        }

        var normal = Math.Min(_averageSize, length);
        var maskS = _maskS;
        var maskL = _maskL;
        // Testing (hash << 1) against (mask << 1) is the same test as hash against mask: mask bit 63 is clear.
        var maskSShifted = maskS << 1;
        var maskLShifted = maskL << 1;
        ulong hash = 0;

        fixed (byte* source = data)
        fixed (ulong* gear = _gear)
        fixed (ulong* gearShifted = _gearShifted)
        {
            // Walking a pointer rather than an int index saves the sign extension per load in the hot loop.
            // hash holds fp(i-1); (fp(i-1) << 2) + (gear[b] << 1) is fp(i) << 1, and adding gear[b'] gives fp(i+1).
            var p = source + _minimumSize;
            var pairEnd = source + normal - 1;
            for (; p < pairEnd; p += 2)
            {
                hash = (hash << 2) + gearShifted[p[0]];
                if ((hash & maskSShifted) == 0)
                {
                    return (int)(p - source) + 1;
                }

                hash += gear[p[1]];
                if ((hash & maskS) == 0)
                {
                    return (int)(p - source) + 2;
                }
            }

            if (p < source + normal)
            {
                hash = (hash << 1) + gear[p[0]];
                if ((hash & maskS) == 0)
                {
                    return (int)(p - source) + 1;
                }

                p++;
            }

            pairEnd = source + length - 1;
            for (; p < pairEnd; p += 2)
            {
                hash = (hash << 2) + gearShifted[p[0]];
                if ((hash & maskLShifted) == 0)
                {
                    return (int)(p - source) + 1;
                }

                hash += gear[p[1]];
                if ((hash & maskL) == 0)
                {
                    return (int)(p - source) + 2;
                }
            }

            if (p < source + length)
            {
                hash = (hash << 1) + gear[p[0]];
                if ((hash & maskL) == 0)
                {
                    return (int)(p - source) + 1;
                }
            }
        }

        return length;
    }

    /// <summary>
    /// The byte-at-a-time form of <see cref="FindCutPoint"/>, kept as the reference the two-byte loop is
    /// tested against and benchmarked with.
    /// </summary>
    internal unsafe int FindCutPointOneByteAtATime(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        if (length <= _minimumSize)
        {
            return length;
        }

        if (length > _maximumSize)
        {
            length = _maximumSize;
        }

        var normal = Math.Min(_averageSize, length);
        var maskS = _maskS;
        var maskL = _maskL;
        ulong hash = 0;
        var i = _minimumSize;

        fixed (byte* source = data)
        fixed (ulong* gear = _gear)
        {
            for (; i < normal; i++)
            {
                hash = (hash << 1) + gear[source[i]];
                if ((hash & maskS) == 0)
                {
                    return i + 1;
                }
            }

            for (; i < length; i++)
            {
                hash = (hash << 1) + gear[source[i]];
                if ((hash & maskL) == 0)
                {
                    return i + 1;
                }
            }
        }

        return length;
    }
}
