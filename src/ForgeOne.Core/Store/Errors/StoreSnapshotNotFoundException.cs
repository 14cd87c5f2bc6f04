using System.Globalization;

namespace ForgeOne.Core.Store;

/// <summary>No store snapshot has the given id, or a prefix fits more than one.</summary>
public sealed class StoreSnapshotNotFoundException : StoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">The id or prefix asked for.</param>
    /// <param name="matches">How many snapshot sets it fits (0 or more than 1).</param>
    public StoreSnapshotNotFoundException(string id, int matches)
        : base(matches == 0
            ? $"No store snapshot has id '{id}'. List them with Get-ForgeSnapshot -Store (forge snapshot list)."
            : string.Create(CultureInfo.InvariantCulture, $"Store snapshot id '{id}' fits {matches} snapshots; give more of it."))
    {
        Id = id;
    }

    /// <summary>The id or prefix asked for.</summary>
    public string Id { get; }
}
