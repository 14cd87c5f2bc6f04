using System.Text;

namespace ForgeOne.Core.Crypto;

/// <summary>Turns a passphrase into the bytes Argon2id hashes: UTF-8 of its Unicode NFC form.</summary>
/// <remarks>
/// NFC makes a passphrase typed on macOS (which may produce decomposed accents) open a slot made on Windows
/// or Linux. ASCII passphrases, already in NFC, never pass through a string; others are normalised via a
/// short-lived managed string that cannot be zeroed (a documented trade-off).
/// </remarks>
internal static class PassphraseEncoding
{
    // Strict: an unpaired surrogate throws instead of silently becoming U+FFFD (which would make distinct
    // passphrases equal).
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns a pinned array of exactly the encoded length; the caller must zero it.</summary>
    public static byte[] ToPinnedUtf8(ReadOnlySpan<char> passphrase)
    {
        if (passphrase.IsEmpty)
        {
            throw new ArgumentException("The passphrase must not be empty.", nameof(passphrase));
        }

        var isAscii = Ascii.IsValid(passphrase);
        ReadOnlySpan<char> normalised = isAscii ? passphrase : NormaliseSlow(passphrase);
        try
        {
            var bytes = GC.AllocateUninitializedArray<byte>(StrictUtf8.GetByteCount(normalised), pinned: true);
            StrictUtf8.GetBytes(normalised, bytes);
            return bytes;
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("The passphrase contains an unpaired UTF-16 surrogate and cannot be encoded.", nameof(passphrase), ex);
        }
    }

    private static string NormaliseSlow(ReadOnlySpan<char> passphrase)
    {
        var text = new string(passphrase);
        return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
    }
}
