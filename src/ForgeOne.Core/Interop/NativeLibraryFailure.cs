namespace ForgeOne.Core.Interop;

/// <summary>Tells the exceptions of a native library that could not be used from any other failure.</summary>
/// <remarks>
/// libsodium and libzstd are fast paths with managed fallbacks: where the package has no build for the platform, the
/// host does not find the file, or the file found is for another architecture, the caller falls back and only the
/// speed differs. Anything else is a real error and propagates.
/// </remarks>
internal static class NativeLibraryFailure
{
    /// <summary>True when <paramref name="exception"/> says the library, or an entry point in it, is missing or unusable.</summary>
    /// <param name="exception">What a first call into the library threw.</param>
    /// <returns>True for a missing library, a missing entry point, or a library of another architecture.</returns>
    internal static bool IsUnavailable(Exception exception) =>
        exception is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException;
}
