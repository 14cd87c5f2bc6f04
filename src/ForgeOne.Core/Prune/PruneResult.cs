namespace ForgeOne.Core.Prune;

/// <summary>What a prune removed and rewrote.</summary>
public sealed record PruneResult
{
    /// <summary>True when nothing was changed (<see cref="PruneOptions.DryRun"/>).</summary>
    public bool DryRun { get; init; }

    /// <summary>Snapshots whose data was kept.</summary>
    public int Snapshots { get; init; }

    /// <summary>Packs before the prune.</summary>
    public int PacksBefore { get; init; }

    /// <summary>Packs deleted because no snapshot uses any of their blobs.</summary>
    public int PacksDeleted { get; init; }

    /// <summary>Packs rewritten without their unused blobs (and then deleted).</summary>
    public int PacksRewritten { get; init; }

    /// <summary>New packs written by the rewrite.</summary>
    public int PacksWritten { get; init; }

    /// <summary>Blobs no snapshot uses that are gone (or would be).</summary>
    public long BlobsRemoved { get; init; }

    /// <summary>Bytes of packs deleted minus bytes of packs written: what the repository shrinks by.</summary>
    public long BytesFreed { get; init; }

    /// <summary>Bytes of used blobs copied into new packs.</summary>
    public long BytesRepacked { get; init; }

    /// <summary>Bytes still unused after the prune (in packs too full of used blobs to be worth rewriting).</summary>
    public long BytesUnusedLeft { get; init; }

    /// <summary>Index files replaced by the new one.</summary>
    public int IndexFilesReplaced { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; init; }
}
