using BcArgon2Parameters = Org.BouncyCastle.Crypto.Parameters.Argon2Parameters;
using Org.BouncyCastle.Crypto.Generators;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Cost settings for Argon2id, which turns a passphrase into a key slot's key-encryption key. Stored in
/// each passphrase slot (JSON <c>argon2</c>) with the slot's random salt.
/// </summary>
/// <remarks>
/// <para><see cref="Default"/> follows OWASP's current Password Storage Cheat Sheet minimum for Argon2id:
/// m = 19456 KiB (19 MiB), t = 2 iterations, p = 1.</para>
/// <para>The limits (<see cref="MaxMemoryKiB"/>, <see cref="MaxIterations"/>, <see cref="MaxParallelism"/>)
/// exist because the values are read from the repository: whoever can edit a slot could otherwise make
/// every opener allocate terabytes or spin for hours. Lower-than-default costs are accepted (tests use
/// them); production callers should keep <see cref="Default"/> or raise it.</para>
/// <para>.NET has no Argon2. libsodium's native <c>crypto_pwhash</c> computes it where the library loads and takes
/// the inputs (p = 1 and a 16-byte salt, which is what new slots use), several times faster; BouncyCastle computes it
/// otherwise. Both give the same bytes.</para>
/// </remarks>
public sealed class Argon2Parameters : IEquatable<Argon2Parameters>
{
    /// <summary>Most memory a slot may ask for: 4 GiB, in KiB.</summary>
    public const int MaxMemoryKiB = 4 * 1024 * 1024;

    /// <summary>Most passes a slot may ask for.</summary>
    public const int MaxIterations = 100;

    /// <summary>Most lanes a slot may ask for.</summary>
    public const int MaxParallelism = 64;

    /// <summary>Creates and validates a set of costs.</summary>
    /// <param name="memoryKiB">Memory cost in KiB; at least 8 × <paramref name="parallelism"/> (Argon2's minimum),
    /// at most <see cref="MaxMemoryKiB"/>.</param>
    /// <param name="iterations">Passes over memory; 1 to <see cref="MaxIterations"/>.</param>
    /// <param name="parallelism">Lanes; 1 to <see cref="MaxParallelism"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public Argon2Parameters(int memoryKiB, int iterations, int parallelism)
    {
        if (Validate(memoryKiB, iterations, parallelism) is { } problem)
        {
            throw new ArgumentOutOfRangeException(null, problem);
        }

        MemoryKiB = memoryKiB;
        Iterations = iterations;
        Parallelism = parallelism;
    }

    /// <summary>OWASP's recommendation: 19456 KiB, 2 iterations, parallelism 1.</summary>
    public static Argon2Parameters Default { get; } = new(19456, 2, 1);

    /// <summary>Memory cost in KiB (JSON <c>memoryKiB</c>).</summary>
    public int MemoryKiB { get; }

    /// <summary>Number of passes (JSON <c>iterations</c>).</summary>
    public int Iterations { get; }

    /// <summary>Number of lanes (JSON <c>parallelism</c>).</summary>
    public int Parallelism { get; }

    /// <summary>Compares costs.</summary>
    /// <param name="other">The other parameters.</param>
    /// <returns>True when all three costs are equal.</returns>
    public bool Equals(Argon2Parameters? other) =>
        other is not null && MemoryKiB == other.MemoryKiB && Iterations == other.Iterations && Parallelism == other.Parallelism;

    /// <summary>Compares costs.</summary>
    /// <param name="obj">The other object.</param>
    /// <returns>True when <paramref name="obj"/> is an <see cref="Argon2Parameters"/> with equal costs.</returns>
    public override bool Equals(object? obj) => Equals(obj as Argon2Parameters);

    /// <summary>Hash of the costs.</summary>
    /// <returns>A hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(MemoryKiB, Iterations, Parallelism);

    /// <summary>Shows the costs, for logs.</summary>
    /// <returns>For example <c>argon2id m=19456KiB t=2 p=1</c>.</returns>
    public override string ToString() => $"argon2id m={MemoryKiB}KiB t={Iterations} p={Parallelism}";

    /// <summary>Says what is out of range, or null when all values are acceptable.</summary>
    internal static string? Validate(long memoryKiB, long iterations, long parallelism)
    {
        if (parallelism is < 1 or > MaxParallelism)
        {
            return $"Argon2 parallelism {parallelism} is outside 1 to {MaxParallelism}";
        }

        if (memoryKiB < 8 * parallelism || memoryKiB > MaxMemoryKiB)
        {
            return $"Argon2 memory cost {memoryKiB} KiB is outside {8 * parallelism} to {MaxMemoryKiB} KiB";
        }

        if (iterations is < 1 or > MaxIterations)
        {
            return $"Argon2 iteration count {iterations} is outside 1 to {MaxIterations}";
        }

        return null;
    }

    /// <summary>Runs Argon2id v1.3 over <paramref name="password"/>, filling <paramref name="output"/>.</summary>
    internal void DeriveKey(byte[] password, byte[] salt, byte[] output)
    {
        if (!SodiumArgon2.TryDeriveKey(this, password, salt, output))
        {
            DeriveKeyWithBouncyCastle(password, salt, output);
        }
    }

    /// <summary>The managed Argon2id, for inputs or platforms libsodium does not cover; tests compare the two.</summary>
    internal void DeriveKeyWithBouncyCastle(byte[] password, byte[] salt, byte[] output)
    {
        var parameters = new BcArgon2Parameters.Builder(BcArgon2Parameters.Argon2id)
            .WithVersion(BcArgon2Parameters.Version13)
            .WithMemoryAsKB(MemoryKiB)
            .WithIterations(Iterations)
            .WithParallelism(Parallelism)
            .WithSalt(salt)
            .Build();
        try
        {
            var generator = new Argon2BytesGenerator();
            generator.Init(parameters);
            generator.GenerateBytes(password, output);
        }
        finally
        {
            parameters.Clear();
        }
    }
}
