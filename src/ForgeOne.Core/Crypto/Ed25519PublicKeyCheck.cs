using System.Numerics;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Decides whether 32 bytes are an Ed25519 public key, exactly as BouncyCastle's <c>Ed25519PublicKeyParameters</c>
/// does, without loading BouncyCastle.
/// </summary>
/// <remarks>
/// <para>A key is accepted when it decodes to a curve point per RFC 8032 section 5.1.3 (y below p, x recoverable,
/// no "negative zero" x) and the point does not have small order (y is not 0, 1, -1 or the y of an order-8 point).
/// Points with a small-order component on top of a large one are accepted, as BouncyCastle accepts them.</para>
/// <para>libsodium has no function for this check: <c>crypto_core_ed25519_is_valid_point</c> also rejects those
/// mixed-order points, so a key published by another tool could parse with one library and not the other. The
/// arithmetic runs once per parsed key, never per signature, so <see cref="BigInteger"/> is fast enough.</para>
/// </remarks>
internal static class Ed25519PublicKeyCheck
{
    // p = 2^255 - 19.
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    // d = -121665 / 121666 mod p.
    private static readonly BigInteger D = Mod(-121665 * BigInteger.ModPow(121666, P - 2, P));

    // The y of the order-8 points is this value or p minus it (little-endian, as encoded).
    private static readonly BigInteger Order8Y = new(
        Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), isUnsigned: true, isBigEndian: false);

    /// <summary>True when <paramref name="key"/> is 32 bytes encoding a curve point of large order.</summary>
    internal static bool IsValid(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            return false;
        }

        Span<byte> yBytes = stackalloc byte[32];
        key.CopyTo(yBytes);
        // The top bit is x's sign. RFC 8032 refuses it set when x = 0, which happens only for y = 1 or -1, refused here
        // as small-order points anyway.
        yBytes[31] &= 0x7F;
        var y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false);
        if (y >= P || y.IsZero || y.IsOne || y == P - 1 || y == Order8Y || y == P - Order8Y)
        {
            return false;
        }

        // x^2 = u / v with u = y^2 - 1 and v = d y^2 + 1; the candidate root is u v^3 (u v^7)^((p - 5) / 8).
        var ySquared = y * y % P;
        var u = Mod(ySquared - 1);
        var v = Mod((D * ySquared) + 1);
        var vCubed = v * v % P * v % P;
        var x = u * vCubed % P * BigInteger.ModPow(u * (vCubed * vCubed % P) % P * v % P, (P - 5) / 8, P) % P;
        // The candidate squares to u / v or to -u / v (then x times sqrt(-1) is the root); otherwise there is none.
        var vxSquared = v * x % P * x % P;
        return vxSquared == u || vxSquared == Mod(-u);
    }

    private static BigInteger Mod(BigInteger value)
    {
        var remainder = value % P;
        return remainder.Sign < 0 ? remainder + P : remainder;
    }
}
