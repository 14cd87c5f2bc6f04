using System.Globalization;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>A record's place in timestamp order: (timestamp in microseconds, id). Unique across shards.</summary>
/// <param name="Timestamp">Unix time in microseconds.</param>
/// <param name="Id">The record id.</param>
public readonly record struct IndexPosition(long Timestamp, long Id)
{
    /// <summary>Unix microseconds of a time.</summary>
    /// <param name="time">The time.</param>
    /// <returns>Microseconds since 1970-01-01 UTC.</returns>
    public static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The time of Unix microseconds.</summary>
    /// <param name="micros">Microseconds since 1970-01-01 UTC.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset FromMicros(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);

    /// <summary>Parses a continuation token.</summary>
    /// <param name="token">The token from a previous page.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException">It is not a token this store made.</exception>
    public static IndexPosition Parse(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? new IndexPosition(timestamp, id)
                : throw new ArgumentException($"'{token}' is not a continuation token; pass the ContinuationToken of a previous page.", nameof(token));
    }

    /// <summary>Orders by timestamp, then id.</summary>
    /// <param name="other">The other position.</param>
    /// <returns>The comparison.</returns>
    public int CompareTo(IndexPosition other) =>
        Timestamp != other.Timestamp ? Timestamp.CompareTo(other.Timestamp) : Id.CompareTo(other.Id);

    /// <summary>The continuation token form, <c>timestamp.id</c>.</summary>
    /// <returns>The token.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Timestamp}.{Id}");
}
