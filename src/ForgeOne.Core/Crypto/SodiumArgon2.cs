using System.Runtime.InteropServices;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Argon2id v1.3 through libsodium's <c>crypto_pwhash</c>, the fast path of <see cref="Argon2Parameters.DeriveKey"/>.
/// </summary>
/// <remarks>
/// <para>Every command that opens a repository with a passphrase runs Argon2id once at the slot's costs. BouncyCastle's
/// managed Argon2id takes 190-340 ms for the OWASP defaults in a fresh process (76 ms once warm); libsodium's C
/// code takes about 16 ms and gives the same bytes, since both follow RFC 9106 without a secret or associated
/// data.</para>
/// <para>The native library is loaded once per process by <see cref="Sodium"/>. Where it cannot be loaded (a
/// platform the package lacks, a host that does not find it) or a slot asks for something
/// <c>crypto_pwhash</c> does not do, <see cref="TryDeriveKey"/> returns false and the caller uses BouncyCastle, so a
/// slot opens everywhere and only the speed differs. libsodium computes one lane only and takes salts of exactly
/// <c>crypto_pwhash_SALTBYTES</c> (16) bytes: our slots are created with p = 1 and a 16-byte salt, but readers
/// accept p up to 64 and salts of 16 to 64 bytes, and those go to BouncyCastle.</para>
/// <para>NSec would wrap the same calls but targets net9.0 and up, while Core targets net8.0.</para>
/// </remarks>
internal static partial class SodiumArgon2
{
    private const string Library = Sodium.Library;

    // crypto_pwhash_ALG_ARGON2ID13: Argon2id, version 0x13.
    private const int AlgorithmArgon2id13 = 2;

    // crypto_pwhash_SALTBYTES; libsodium has no way to pass another length.
    private const int SaltLength = 16;

    // Reading the limits happens once per process, after Sodium loads the library; a failure is remembered.
    private static readonly Lazy<Limits?> LoadedLimits = new(() => Sodium.ReadIfAvailable(ReadLimits), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when libsodium was loaded and initialised in this process and has Argon2id.</summary>
    internal static bool IsAvailable => LoadedLimits.Value is not null;

    /// <summary>
    /// Fills <paramref name="output"/> with Argon2id v1.3 of <paramref name="password"/>, or returns false (leaving
    /// <paramref name="output"/> unspecified) when libsodium is missing or cannot take these inputs.
    /// </summary>
    internal static unsafe bool TryDeriveKey(Argon2Parameters parameters, ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Span<byte> output)
    {
        if (parameters.Parallelism != 1 || salt.Length != SaltLength || LoadedLimits.Value is not { } limits
            || !limits.Accept((ulong)password.Length, (ulong)output.Length, (ulong)parameters.Iterations, (ulong)parameters.MemoryKiB * 1024))
        {
            return false;
        }

        // A 1-byte stand-in keeps the pointer non-null for an empty passphrase; libsodium reads passwdlen = 0 bytes.
        ReadOnlySpan<byte> passwordOrStandIn = password.IsEmpty ? stackalloc byte[1] : password;
        fixed (byte* outputPointer = output)
        fixed (byte* passwordPointer = passwordOrStandIn)
        fixed (byte* saltPointer = salt)
        {
            // -1 means libsodium could not allocate the memory; BouncyCastle then tries, and throws if it cannot either.
            return CryptoPasswordHash(outputPointer, (ulong)output.Length, passwordPointer, (ulong)password.Length, saltPointer,
                (ulong)parameters.Iterations, (nuint)((ulong)parameters.MemoryKiB * 1024), AlgorithmArgon2id13) == 0;
        }
    }

    private static Limits ReadLimits() =>
        new(
            PasswordMax: Argon2idPasswordMax(),
            OutputMin: Argon2idBytesMin(),
            OutputMax: Argon2idBytesMax(),
            IterationsMin: Argon2idOpsLimitMin(),
            IterationsMax: Argon2idOpsLimitMax(),
            MemoryBytesMin: Argon2idMemLimitMin(),
            MemoryBytesMax: Argon2idMemLimitMax());

    [LibraryImport(Library, EntryPoint = "crypto_pwhash")]
    private static unsafe partial int CryptoPasswordHash(byte* output, ulong outputLength, byte* password, ulong passwordLength,
        byte* salt, ulong opsLimit, nuint memLimit, int algorithm);

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_passwd_max")]
    private static partial nuint Argon2idPasswordMax();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_bytes_min")]
    private static partial nuint Argon2idBytesMin();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_bytes_max")]
    private static partial nuint Argon2idBytesMax();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_opslimit_min")]
    private static partial nuint Argon2idOpsLimitMin();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_opslimit_max")]
    private static partial nuint Argon2idOpsLimitMax();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_memlimit_min")]
    private static partial nuint Argon2idMemLimitMin();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_memlimit_max")]
    private static partial nuint Argon2idMemLimitMax();

    // Read from the library rather than copied from its headers: the memory maximum depends on the platform's size_t
    // (2 GiB on 32-bit Windows, below our 4 GiB limit).
    private sealed record Limits(nuint PasswordMax, nuint OutputMin, nuint OutputMax, nuint IterationsMin, nuint IterationsMax,
        nuint MemoryBytesMin, nuint MemoryBytesMax)
    {
        internal bool Accept(ulong passwordLength, ulong outputLength, ulong iterations, ulong memoryBytes) =>
            passwordLength <= PasswordMax
            && outputLength >= OutputMin && outputLength <= OutputMax
            && iterations >= IterationsMin && iterations <= IterationsMax
            && memoryBytes >= MemoryBytesMin && memoryBytes <= MemoryBytesMax;
    }
}
