using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Audit;

/// <summary>
/// The SIEM export of an audit log: JSON Lines, one record a line (<see cref="AuditRecord.ToJson"/>), UTF-8 without a
/// byte order mark, each line ended by LF. The fields are documented in docs/design.md ("Audit log"); each line carries
/// its hash and signature, so an export can be verified with only the public key (<see cref="VerifyAsync"/>).
/// </summary>
public static class AuditJsonLines
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes records as JSON lines.</summary>
    /// <param name="output">Where to write; not disposed. Left open and flushed.</param>
    /// <param name="records">The records, in the order to write.</param>
    /// <param name="cancellationToken">Cancels the export between records.</param>
    /// <returns>How many records were written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static async Task<long> WriteAsync(Stream output, IAsyncEnumerable<AuditRecord> records,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await output.WriteAsync(ToLine(record), cancellationToken).ConfigureAwait(false);
            count++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>One record as a JSON line: its JSON and an LF.</summary>
    /// <param name="record">The record.</param>
    /// <returns>UTF-8 bytes ending in <c>\n</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static byte[] ToLine(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = record.ToJson();
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>Reads records from JSON lines; blank lines are skipped.</summary>
    /// <param name="input">The export; not disposed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, as written (not verified).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="MalformedObjectException">A line is not a record; the message names the line.</exception>
    /// <exception cref="UnsupportedFormatException">A record has another format version.</exception>
    public static async IAsyncEnumerable<AuditRecord> ReadAsync(Stream input,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await foreach (var (lineNumber, record, failure) in ReadLinesAsync(input, cancellationToken).ConfigureAwait(false))
        {
            yield return record ?? throw new MalformedObjectException(ObjectKind.AuditSegment, null,
                string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} of the export is not an audit record ({failure})"));
        }
    }

    /// <summary>Verifies an export with a trusted public key; a line that is not a record counts as modified.</summary>
    /// <param name="input">The export, the whole log from record 1; not disposed.</param>
    /// <param name="trustedKey">The repository's public key, from a source the caller trusts (an evidence package).</param>
    /// <param name="anchors">Heads known from elsewhere (snapshots, evidence); null for none.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result, as <see cref="AuditVerifier"/> reports it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> or <paramref name="trustedKey"/> is null.</exception>
    public static Task<AuditVerification> VerifyAsync(Stream input, AuditPublicKey trustedKey, IEnumerable<AuditHead>? anchors = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AuditVerifier.VerifyEntriesAsync(ToEntries(input, cancellationToken), trustedKey, anchors, cancellationToken);
    }

    private static async IAsyncEnumerable<AuditChainEntry> ToEntries(Stream input,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (lineNumber, record, failure) in ReadLinesAsync(input, cancellationToken).ConfigureAwait(false))
        {
            yield return new AuditChainEntry(null, record, record is null
                ? string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} of the export is not an audit record ({failure})")
                : null);
        }
    }

    private static async IAsyncEnumerable<(long LineNumber, AuditRecord? Record, string? Failure)> ReadLinesAsync(Stream input,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(input, Utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            AuditRecord? record = null;
            string? failure = null;
            try
            {
                record = AuditRecord.Parse(Utf8.GetBytes(line));
            }
            catch (Exception ex) when (ex is MalformedObjectException or UnsupportedFormatException)
            {
                failure = ex.Message;
            }

            yield return (lineNumber, record, failure);
        }
    }
}
