namespace ForgeOne.Core.Progress;

/// <summary>
/// One progress report of a long operation (backup, restore, check), as Core reports it through
/// <see cref="IProgress{T}"/>; front ends turn it into Write-Progress or a terminal line.
/// </summary>
/// <param name="Activity">What runs, e.g. "Backing up".</param>
/// <param name="CurrentItem">The file or object being worked on, if any.</param>
/// <param name="ItemsDone">Files (or objects) finished so far.</param>
/// <param name="ItemsTotal">Files in all, when known.</param>
/// <param name="BytesDone">Bytes processed so far.</param>
/// <param name="BytesTotal">Bytes in all, when known.</param>
/// <param name="Elapsed">Time since the operation started.</param>
public sealed record OperationProgress(
    string Activity,
    string? CurrentItem,
    long ItemsDone,
    long? ItemsTotal,
    long BytesDone,
    long? BytesTotal,
    TimeSpan Elapsed)
{
    /// <summary>Percent complete by bytes (else by items), or -1 when the total is unknown.</summary>
    public int PercentComplete => (BytesTotal, ItemsTotal) switch
    {
        ({ } total, _) when total > 0 => (int)Math.Clamp(BytesDone * 100 / total, 0, 100),
        (_, { } items) when items > 0 => (int)Math.Clamp(ItemsDone * 100 / items, 0, 100),
        _ => -1,
    };

    /// <summary>Bytes per second so far.</summary>
    public double BytesPerSecond => Elapsed.TotalSeconds > 0 ? BytesDone / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time left from the rate so far, or null when the total or the rate is unknown.</summary>
    public TimeSpan? Remaining => BytesTotal is { } total && BytesPerSecond > 0 && total >= BytesDone
        ? TimeSpan.FromSeconds((total - BytesDone) / BytesPerSecond)
        : null;
}
