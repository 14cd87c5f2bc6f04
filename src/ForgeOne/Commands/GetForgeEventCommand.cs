using System.Management.Automation;
using ForgeOne.Core.Store.Events;

namespace ForgeOne.Commands;

/// <summary>Gets events from a store by topic, time range and priority, or those a consumer has not processed yet.</summary>
/// <remarks>
/// <para>By default Get-ForgeEvent reads every event shard at once and merges them, so events come out in timestamp
/// order (ties by id) however they were spread. Events stream to the pipeline a page at a time, so
/// <c>Get-ForgeEvent | Select-Object -First 10</c> reads little. Without -Topic every topic's events are read.</para>
/// <para>With -AfterCheckpoint, only the events written after that consumer's checkpoint are returned (all of them for
/// a consumer without one), in the order their writes committed in each shard rather than by timestamp, so late
/// events with old timestamps are still delivered. Pipe what was processed to Set-ForgeCheckpoint to move the
/// checkpoint; the next read starts after it.</para>
/// <para>-First limits how many events are returned. To continue a time-ordered read where a limited one stopped,
/// pass the last event's ContinuationToken property to -After (not with -AfterCheckpoint: a consumer continues
/// through its checkpoint).</para>
/// </remarks>
/// <example>
/// <code>Get-ForgeEvent -Store ./store -KeyFile ./store.key -Topic orders/created -From (Get-Date).AddHours(-1) -MinimumPriority High</code>
/// <para>Gets the last hour's high and critical events of topic orders/created.</para>
/// </example>
/// <example>
/// <code>$batch = Get-ForgeEvent -AfterCheckpoint billing -First 500; $batch | ForEach-Object { Invoke-Billing $_ }; $batch | Set-ForgeCheckpoint -Consumer billing</code>
/// <para>Processes up to 500 events the consumer billing has not seen, then moves its checkpoint past them.</para>
/// </example>
/// <example>
/// <code>$page = Get-ForgeEvent -First 100; Get-ForgeEvent -First 100 -After $page[-1].ContinuationToken</code>
/// <para>Reads the first two pages of 100 events of every topic.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeEvent")]
[OutputType(typeof(EventMessage))]
public sealed class GetForgeEventCommand : ForgeStoreCmdlet
{
    private const int MaxPageSize = 1000;

    // An int, not an EventPriority: see ForgeStoreCmdlet on fields of Core value types.
    private int? _minimumPriority;

    /// <summary>The topic to read, for example orders/created; by default every topic.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Topic { get; set; }

    /// <summary>The earliest timestamp to return, inclusive.</summary>
    [Parameter]
    public DateTimeOffset? From { get; set; }

    /// <summary>The latest timestamp to return, exclusive.</summary>
    [Parameter]
    public DateTimeOffset? To { get; set; }

    /// <summary>The lowest priority to return, for example High for high and critical events.</summary>
    [Parameter]
    public EventPriority? MinimumPriority
    {
        get => (EventPriority?)_minimumPriority;
        set => _minimumPriority = (int?)value;
    }

    /// <summary>The most events to return; by default all that match.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>Starts after this position: the ContinuationToken of the last event of a previous time-ordered read.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? After { get; set; }

    /// <summary>A consumer name: return only the events written after its checkpoint, in the order they were written.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AfterCheckpoint { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var query = new EventQuery
        {
            Topic = Topic,
            From = From,
            To = To,
            MinimumPriority = MinimumPriority,
            After = After,
            AfterCheckpoint = AfterCheckpoint,
            PageSize = Math.Min(First ?? MaxPageSize, MaxPageSize),
        };
        WriteRecords(store, store.Events.Read(query), First);
    }
}
