using System.Management.Automation;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Commands;

/// <summary>Gets log entries from a store by topic, time range and severity, in timestamp order across all shards.</summary>
/// <remarks>
/// <para>Get-ForgeLog reads every log shard at once and merges them, so entries come out in timestamp order (ties
/// by id) however they were spread. Entries stream to the pipeline a page at a time, so
/// <c>Get-ForgeLog | Select-Object -First 10</c> reads little. Without -Topic every topic's entries are read.</para>
/// <para>-First limits how many entries are returned. To continue where a limited read stopped, pass the last
/// entry's ContinuationToken property to -After: the next read starts right after it, and entries written in the
/// meantime never shift or repeat what was already read.</para>
/// </remarks>
/// <example>
/// <code>Get-ForgeLog -Topic app/auth -From (Get-Date).AddHours(-1) -MinimumSeverity Warning</code>
/// <para>Gets the last hour's warnings and worse of topic app/auth from the store named by FORGE_STORE.</para>
/// </example>
/// <example>
/// <code>$page = Get-ForgeLog -Store ./store -KeyFile ./store.key -First 100; Get-ForgeLog -Store ./store -KeyFile ./store.key -First 100 -After $page[-1].ContinuationToken</code>
/// <para>Reads the first two pages of 100 entries of every topic.</para>
/// </example>
/// <example>
/// <code>Get-ForgeLog -Topic app/billing -From '2025-01-01' -To '2025-02-01' | Where-Object Message -like '*refund*'</code>
/// <para>Finds the January entries of topic app/billing that mention a refund.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeLog")]
[OutputType(typeof(LogEntry))]
public sealed class GetForgeLogCommand : ForgeStoreCmdlet
{
    private const int MaxPageSize = 1000;

    // An int, not a LogSeverity: see ForgeStoreCmdlet on fields of Core value types.
    private int? _minimumSeverity;

    /// <summary>The topic to read, for example app/auth; by default every topic.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Topic { get; set; }

    /// <summary>The earliest timestamp to return, inclusive.</summary>
    [Parameter]
    public DateTimeOffset? From { get; set; }

    /// <summary>The latest timestamp to return, exclusive.</summary>
    [Parameter]
    public DateTimeOffset? To { get; set; }

    /// <summary>The lowest severity to return, for example Warning for warnings, errors and critical entries.</summary>
    [Parameter]
    public LogSeverity? MinimumSeverity
    {
        get => (LogSeverity?)_minimumSeverity;
        set => _minimumSeverity = (int?)value;
    }

    /// <summary>The most entries to return; by default all that match.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>Starts after this position: the ContinuationToken of the last entry of a previous read.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? After { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var query = new LogQuery
        {
            Topic = Topic,
            From = From,
            To = To,
            MinimumSeverity = MinimumSeverity,
            After = After,
            PageSize = Math.Min(First ?? MaxPageSize, MaxPageSize),
        };
        WriteRecords(store, store.Logs.Read(query), First);
    }
}
