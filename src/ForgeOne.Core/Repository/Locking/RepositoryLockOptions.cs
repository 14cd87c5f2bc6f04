namespace ForgeOne.Core.Repository.Locking;

/// <summary>Timing of repository locks: when a lock counts as stale, and how often a held lock is refreshed.</summary>
/// <remarks>
/// Every client of a repository judges every other client's locks with its own <see cref="StaleAfter"/>, so the
/// values are effectively part of the protocol: all clients must use the defaults, and other values are for tests.
/// <see cref="RefreshInterval"/> must be shorter than <see cref="StaleAfter"/>, so a live lock is refreshed
/// several times before anyone may judge it stale.
/// </remarks>
public sealed class RepositoryLockOptions
{
    /// <summary>The defaults: stale after 30 minutes, refreshed every 5 minutes.</summary>
    public static RepositoryLockOptions Default { get; } = new();

    /// <summary>
    /// How long after its last refresh a lock counts as stale, whatever host holds it. Default 30 minutes, as in
    /// restic.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a held lock is refreshed. Default 5 minutes.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws when the values cannot work together.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is zero or negative.</exception>
    /// <exception cref="ArgumentException"><see cref="RefreshInterval"/> is not shorter than <see cref="StaleAfter"/>.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StaleAfter, TimeSpan.Zero, nameof(StaleAfter));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RefreshInterval, TimeSpan.Zero, nameof(RefreshInterval));
        if (RefreshInterval >= StaleAfter)
        {
            throw new ArgumentException(
                $"RefreshInterval ({RefreshInterval}) must be shorter than StaleAfter ({StaleAfter}), or other " +
                "processes would judge a live lock stale between two refreshes.", nameof(RefreshInterval));
        }
    }
}
