using System.Runtime.InteropServices;
using ForgeOne.Core.Interop;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Loads and initialises the native libsodium once per process, for <see cref="SodiumArgon2"/> and
/// <see cref="SodiumEd25519"/>.
/// </summary>
/// <remarks>
/// The library comes from the <c>libsodium</c> NuGet package (runtimes/&lt;rid&gt;/native); the packaged module's load
/// context finds it in dependencies/. Where it cannot be loaded (a platform the package lacks, a host that does not
/// find it, a library of another architecture), <see cref="IsAvailable"/> is false and every caller uses its
/// BouncyCastle fallback, so only the speed differs.
/// </remarks>
internal static partial class Sodium
{
    /// <summary>The name every <c>LibraryImport</c> of libsodium uses, so all resolve to one loaded library.</summary>
    internal const string Library = "libsodium";

    // Loading the library and sodium_init happen once per process; a failure is remembered, so a missing library
    // costs one exception, not one per call.
    private static readonly Lazy<bool> Initialised = new(Initialise, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when libsodium was loaded and initialised in this process.</summary>
    internal static bool IsAvailable => Initialised.Value;

    /// <summary>
    /// Runs <paramref name="read"/> (calls into libsodium that may be missing from an older or trimmed build) when the
    /// library is available; null when it is not, or when an entry point is missing.
    /// </summary>
    internal static T? ReadIfAvailable<T>(Func<T> read)
        where T : class
    {
        if (!IsAvailable)
        {
            return null;
        }

        try
        {
            return read();
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static bool Initialise()
    {
        try
        {
            // 0: initialised now, 1: already initialised (by another user of the library in this process), -1: failed.
            return SodiumInit() >= 0;
        }
        catch (Exception ex) when (NativeLibraryFailure.IsUnavailable(ex))
        {
            return false;
        }
    }

    [LibraryImport(Library, EntryPoint = "sodium_init")]
    private static partial int SodiumInit();
}
