namespace ForgeOne.Core.Audit;

/// <summary>Which records <see cref="AuditLog.QueryAsync"/> returns; every filter left null matches everything.</summary>
/// <remarks>Filters combine with AND. Records are read in sequence order and filtered in memory.</remarks>
public sealed record AuditQuery
{
    /// <summary>Only records at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only records before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this operation (for example <c>backup.create</c>), compared ignoring case.</summary>
    public string? Operation { get; init; }

    /// <summary>
    /// Only records by this actor: a user name (<c>alice</c>) or a user at a host (<c>alice@build01</c>), compared
    /// ignoring case.
    /// </summary>
    public string? Actor { get; init; }

    /// <summary>Only records with this outcome.</summary>
    public AuditOutcome? Outcome { get; init; }

    /// <summary>Only records from this sequence number on (for a SIEM collecting what is new since its last run).</summary>
    public long? FromSequence { get; init; }

    /// <summary>True when <paramref name="record"/> passes every filter.</summary>
    /// <param name="record">The record.</param>
    /// <returns>True to include it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public bool Matches(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (From is not { } from || record.Time >= from)
            && (To is not { } to || record.Time < to)
            && (Operation is null || string.Equals(record.Operation, Operation, StringComparison.OrdinalIgnoreCase))
            && (Actor is null || MatchesActor(record.Actor, Actor))
            && (Outcome is not { } outcome || record.Outcome == outcome)
            && (FromSequence is not { } fromSequence || record.Sequence >= fromSequence);
    }

    private static bool MatchesActor(AuditActor actor, string filter)
    {
        var at = filter.IndexOf('@', StringComparison.Ordinal);
        return at < 0
            ? string.Equals(actor.User, filter, StringComparison.OrdinalIgnoreCase)
            : string.Equals(actor.User, filter[..at], StringComparison.OrdinalIgnoreCase)
                && string.Equals(actor.Host, filter[(at + 1)..], StringComparison.OrdinalIgnoreCase);
    }
}
