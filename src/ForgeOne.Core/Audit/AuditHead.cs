using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Audit;

/// <summary>
/// The head of an audit log at some moment: the last record's sequence number and hash. Stored in a snapshot's
/// <see cref="Snapshot.AuditHead"/> and in evidence packages as <c>&lt;sequence&gt;:&lt;hash&gt;</c>, so a log cut
/// back later is caught (<see cref="AuditFailureReason.Truncated"/>).
/// </summary>
/// <remarks>The text form is the sequence in decimal without leading zeros, a colon, and the hash as 64 lower-case
/// hex digits: <c>42:9b1d…f5</c>. The empty log's head is <see cref="Genesis"/>, <c>0:</c> and 64 zeros.</remarks>
public sealed record AuditHead
{
    /// <summary>The hash an empty log ends with, and the first record's <c>previousHash</c>: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Creates a head.</summary>
    /// <param name="sequence">The last record's sequence number; 0 for an empty log.</param>
    /// <param name="hash">The last record's hash, 64 lower-case hex digits; <see cref="GenesisHash"/> for an empty log.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="hash"/> is not 64 lower-case hex digits, or
    /// <paramref name="sequence"/> is 0 with another hash than <see cref="GenesisHash"/>.</exception>
    public AuditHead(long sequence, string hash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (!CanonicalJson.IsHexId(hash))
        {
            throw new ArgumentException($"An audit hash is 64 lower-case hex digits, not '{hash}'.", nameof(hash));
        }

        if (sequence == 0 && hash != GenesisHash)
        {
            throw new ArgumentException("The head of an empty audit log (sequence 0) has the all-zero hash.", nameof(hash));
        }

        Sequence = sequence;
        Hash = hash;
    }

    /// <summary>The head of an empty log: sequence 0, hash <see cref="GenesisHash"/>.</summary>
    public static AuditHead Genesis { get; } = new(0, GenesisHash);

    /// <summary>The last record's sequence number (records count from 1); 0 for an empty log.</summary>
    public long Sequence { get; }

    /// <summary>The last record's hash, 64 lower-case hex digits.</summary>
    public string Hash { get; }

    /// <summary>Parses the text form, <c>&lt;sequence&gt;:&lt;hash&gt;</c>.</summary>
    /// <param name="text">For example <c>42:9b1d…f5</c> (the hash in full).</param>
    /// <returns>The head.</returns>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static AuditHead Parse(string text) =>
        TryParse(text, out var head)
            ? head
            : throw new FormatException(
                $"'{text}' is not an audit head. An audit head is '<sequence>:<hash>', for example '42:' followed by 64 " +
                "lower-case hex digits, as stored in a snapshot's AuditHead.");

    /// <summary>Tries to parse the text form, <c>&lt;sequence&gt;:&lt;hash&gt;</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="head">The head, when the text is well formed.</param>
    /// <returns>True when it is.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AuditHead? head)
    {
        head = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || colon > 19)
        {
            return false;
        }

        var digits = text.AsSpan(0, colon);
        var hash = text![(colon + 1)..];
        if ((digits.Length > 1 && digits[0] == '0') || digits.ContainsAnyExceptInRange('0', '9')
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !CanonicalJson.IsHexId(hash) || (sequence == 0 && hash != GenesisHash))
        {
            return false;
        }

        head = new AuditHead(sequence, hash);
        return true;
    }

    /// <summary>The text form, <c>&lt;sequence&gt;:&lt;hash&gt;</c>.</summary>
    /// <returns>For example <c>42:</c> followed by the 64-digit hash.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sequence}:{Hash}");
}
