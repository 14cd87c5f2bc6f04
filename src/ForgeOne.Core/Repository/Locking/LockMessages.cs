using System.Globalization;
using System.Text;

namespace ForgeOne.Core.Repository.Locking;

/// <summary>Formats locks, ages and the unlock commands for messages, the same way everywhere.</summary>
internal static class LockMessages
{
    // Lock fields come from other clients; keep a damaged or odd one from flooding or garbling a message.
    private const int MaxFieldLength = 64;

    /// <summary>The first 8 hex digits of a lock id, as restic shows them.</summary>
    public static string ShortId(string id) => id.Length > 8 ? id[..8] : id;

    public static string StaleCommand(string location) =>
        $"Run `forge repo unlock --repo {QuoteArgument(location)}` or `Unlock-ForgeRepository` to remove stale locks.";

    public static string RemoveAllCommand(string location) =>
        $"If no ForgeOne process is using the repository, run `forge repo unlock --remove-all --repo " +
        $"{QuoteArgument(location)}` or `Unlock-ForgeRepository -RemoveAll` to remove every lock.";

    /// <summary>One line describing a lock for a list of holders.</summary>
    public static string Describe(LockInfo info, DateTimeOffset now)
    {
        var shortId = ShortId(info.Id);
        if (info.Problem is not null)
        {
            return $"lock {shortId} could not be read ({info.Problem}), so it is treated as held exclusively";
        }

        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"lock {shortId} ({(info.Exclusive ? "exclusive" : "shared")}, ")
            .Append(Clean(info.Operation))
            .Append(CultureInfo.InvariantCulture, $") by {Clean(info.User)} on {Clean(info.Host)}, process {info.ProcessId}");
        if (info.Created is { } created)
        {
            text.Append(CultureInfo.InvariantCulture, $", created {Duration(now - created)} ago");
        }

        if (info.Refreshed is { } refreshed)
        {
            text.Append(CultureInfo.InvariantCulture, $", refreshed {Duration(now - refreshed)} ago");
        }

        if (info.IsStale)
        {
            text.Append(CultureInfo.InvariantCulture, $"; STALE: {info.StaleReason}");
        }

        return text.ToString();
    }

    /// <summary>A coarse, readable duration: <c>45s</c>, <c>5m 3s</c>, <c>2h 5m</c>, <c>3d 4h</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        // A lock refreshed "in the future" comes from a host whose clock is ahead; its age is effectively zero.
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span switch
        {
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds}s"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h {span.Minutes}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalDays}d {span.Hours}h"),
        };
    }

    /// <summary>Replaces control characters and shortens long values.</summary>
    public static string Clean(string text)
    {
        if (text.Length == 0)
        {
            return "?";
        }

        var clean = new StringBuilder(Math.Min(text.Length, MaxFieldLength + 1));
        foreach (var c in text)
        {
            if (clean.Length == MaxFieldLength)
            {
                clean.Append('…');
                break;
            }

            clean.Append(char.IsControl(c) ? '?' : c);
        }

        return clean.ToString();
    }

    private static string QuoteArgument(string location) =>
        location.Any(char.IsWhiteSpace) ? $"\"{location}\"" : location;
}
