using System.Globalization;
using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Audit;

/// <summary>
/// Checks an audit log's chain: every record's hash, its signature with a trusted key, the links between records,
/// gapless order from 1, and anchors (heads recorded earlier, in snapshots or evidence). Reports the first bad
/// sequence number and why (docs/design.md, "Audit log", verification).
/// </summary>
/// <remarks>
/// Works on records from anywhere: an open log (<see cref="AuditLog.VerifyAsync"/>), a JSON-lines export
/// (<see cref="AuditJsonLines.VerifyAsync"/>) or records in memory, so an auditor holding only the public key can check
/// an export. Records are streamed; memory does not grow with the log.
/// </remarks>
public static class AuditVerifier
{
    /// <summary>Checks records in the order given.</summary>
    /// <param name="records">The whole log, from record 1, in order.</param>
    /// <param name="trustedKey">The public key the records must be signed with, from a source the caller trusts (the
    /// repository's own key, an evidence package), never from the records themselves.</param>
    /// <param name="anchors">Heads known from elsewhere; the log must reach each one with the same hash. Null for none.</param>
    /// <returns>The result; a failed check is a result, not an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or <paramref name="trustedKey"/> is null, or an
    /// item is.</exception>
    public static AuditVerification Verify(IEnumerable<AuditRecord> records, AuditPublicKey trustedKey,
        IEnumerable<AuditHead>? anchors = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var task = VerifyEntriesAsync(ToAsync(records.Select(ToEntry)), trustedKey, anchors, CancellationToken.None);

        // The source is synchronous, so the task has completed already.
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Checks records in the order given, as they stream in.</summary>
    /// <param name="records">The whole log, from record 1, in order.</param>
    /// <param name="trustedKey">The public key the records must be signed with, from a source the caller trusts.</param>
    /// <param name="anchors">Heads known from elsewhere; null for none.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or <paramref name="trustedKey"/> is null.</exception>
    public static Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, AuditPublicKey trustedKey,
        IEnumerable<AuditHead>? anchors = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return VerifyEntriesAsync(ToEntries(records, cancellationToken), trustedKey, anchors, cancellationToken);
    }

    /// <summary>True when the record's signature verifies with <paramref name="key"/>.</summary>
    /// <param name="record">The record.</param>
    /// <param name="key">The public key.</param>
    /// <returns>False for a bad signature, or a hash or signature that is not hex of the right length.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool HasValidSignature(AuditRecord record, AuditPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(key);
        if (record.Hash is not { Length: 64 } || record.Signature is not { Length: AuditPublicKey.SignatureSize * 2 })
        {
            return false;
        }

        try
        {
            return key.Verify(Convert.FromHexString(record.Hash), Convert.FromHexString(record.Signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The check itself, over records that may be unreadable and may carry the slot they were stored under.</summary>
    internal static async Task<AuditVerification> VerifyEntriesAsync(IAsyncEnumerable<AuditChainEntry> entries,
        AuditPublicKey trustedKey, IEnumerable<AuditHead>? anchors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trustedKey);
        var anchorList = (anchors ?? []).ToList();
        if (anchorList.Contains(null!))
        {
            throw new ArgumentNullException(nameof(anchors), "An anchor is null.");
        }

        var anchorsBySequence = anchorList.Where(a => a.Sequence > 0).ToLookup(a => a.Sequence);
        var previous = AuditHead.Genesis;
        var beforePrevious = AuditHead.Genesis;
        long checkedCount = 0;
        AuditVerification Fail(AuditFailureReason reason, long sequence, string message, AuditHead? head = null, long? count = null) =>
            new()
            {
                Passed = false,
                RecordsChecked = count ?? checkedCount,
                Head = head ?? previous,
                FirstBadSequence = sequence,
                Reason = reason,
                Message = message,
                TrustedKey = trustedKey,
            };

        await using var enumerator = entries.GetAsyncEnumerator(cancellationToken);
        while (await enumerator.MoveNextAsync().ConfigureAwait(false))
        {
            var entry = enumerator.Current;
            var expected = previous.Sequence + 1;
            var claimed = entry.Record?.Sequence ?? entry.Slot;
            if (claimed is null)
            {
                // Unreadable and stored without a number (a line of an export): it stands where the next record should.
                return Fail(AuditFailureReason.Modified, expected, $"Record {expected} was modified: {entry.Failure}");
            }

            if (claimed != expected)
            {
                // Removed or moved: only the rest of the log can tell, so scan it for the missing number.
                var found = false;
                while (!found && await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    found = (enumerator.Current.Record?.Sequence ?? enumerator.Current.Slot) == expected;
                }

                var what = string.Create(CultureInfo.InvariantCulture, $"record {claimed}");
                return found
                    ? Fail(AuditFailureReason.Reordered, expected,
                        $"Record {expected} is out of order: {what} is where it belongs, and record {expected} comes later.")
                    : Fail(AuditFailureReason.Removed, expected,
                        $"Record {expected} is missing: after record {previous.Sequence} comes {what}.");
            }

            if (entry.Record is not { } record)
            {
                return Fail(AuditFailureReason.Modified, expected,
                    $"Record {expected} was modified: {entry.Failure ?? "it cannot be read"}");
            }

            if (entry.Slot is { } slot && slot != record.Sequence)
            {
                return Fail(AuditFailureReason.Reordered, expected,
                    $"Record {expected} is stored in slot {slot}: it was moved.");
            }

            string computed;
            try
            {
                computed = record.ComputeHash();
            }
            catch (ArgumentException)
            {
                computed = "(text that is not valid Unicode)";
            }

            if (computed != record.Hash)
            {
                return Fail(AuditFailureReason.Modified, expected,
                    $"Record {expected} was modified: its fields hash to {computed}, not to the hash it carries, {record.Hash}.");
            }

            if (!HasValidSignature(record, trustedKey))
            {
                return Fail(AuditFailureReason.BadSignature, expected,
                    $"Record {expected} has a bad signature: it was not signed with the trusted key {trustedKey}.");
            }

            if (record.PreviousHash != previous.Hash)
            {
                // This record is authentic (hash and signature hold), so it names its true predecessor: the record
                // before it is the one that was replaced, unless it is the first.
                return previous.Sequence == 0
                    ? Fail(AuditFailureReason.Modified, expected,
                        $"Record {expected} was modified: it starts the log but chains to {record.PreviousHash}, not to the " +
                        "all-zero hash.")
                    : Fail(AuditFailureReason.Modified, previous.Sequence,
                        $"Record {previous.Sequence} was replaced: record {expected}, which is authentic, chains to hash " +
                        $"{record.PreviousHash}, but record {previous.Sequence} hashes to {previous.Hash}.",
                        beforePrevious, checkedCount - 1);
            }

            foreach (var anchor in anchorsBySequence[expected])
            {
                if (anchor.Hash != record.Hash)
                {
                    return Fail(AuditFailureReason.Truncated, expected,
                        $"Record {expected} is not the anchored one: the anchor {anchor} says it hashed to {anchor.Hash}, but it " +
                        $"hashes to {record.Hash}. The log was cut back to before record {expected} and written again.");
                }
            }

            beforePrevious = previous;
            previous = record.Head;
            checkedCount++;
        }

        var furthest = anchorList.MaxBy(a => a.Sequence);
        if (furthest is not null && furthest.Sequence > previous.Sequence)
        {
            return Fail(AuditFailureReason.Truncated, previous.Sequence + 1,
                $"Record {previous.Sequence + 1} is missing: the log was truncated after record {previous.Sequence}, but the anchor " +
                $"{furthest} shows that records up to {furthest.Sequence} existed.");
        }

        return new AuditVerification
        {
            Passed = true,
            RecordsChecked = checkedCount,
            Head = previous,
            Reason = AuditFailureReason.None,
            Message = $"{checkedCount} records verified; the head is {previous}.",
            TrustedKey = trustedKey,
        };
    }

    private static AuditChainEntry ToEntry(AuditRecord record) =>
        new(null, record ?? throw new ArgumentNullException(nameof(record), "A record is null."), null);

    private static async IAsyncEnumerable<AuditChainEntry> ToEntries(IAsyncEnumerable<AuditRecord> records,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return ToEntry(record);
        }
    }

#pragma warning disable CS1998 // A synchronous source, wrapped so the check is written once.
    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> items,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }
}
