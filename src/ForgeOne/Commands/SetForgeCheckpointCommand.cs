using System.Management.Automation;
using ForgeOne.Core.Store.Checkpoints;
using ForgeOne.Core.Store.Events;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Commands;

/// <summary>Moves a consumer's checkpoint past the events or log entries it has processed.</summary>
/// <remarks>
/// <para>Set-ForgeCheckpoint takes the events (from Get-ForgeEvent) or log entries (from Get-ForgeLog) a consumer has
/// processed, gathers them as they arrive, and when the pipeline ends moves the consumer's checkpoint once: in each
/// shard, to the largest id among them. Positions only move forward, so passing older records changes nothing.
/// Events and log entries keep separate checkpoints; given both, both move and two checkpoints are output.</para>
/// <para>The next Get-ForgeEvent -AfterCheckpoint of that consumer returns only what was written after the
/// checkpoint. Records not read back from this store (without an id) are an InvalidArgument error and move
/// nothing. The output is the checkpoint as stored (ConsumerCheckpoint), with its position per shard.</para>
/// </remarks>
/// <example>
/// <code>Get-ForgeEvent -Store ./store -KeyFile ./store.key -AfterCheckpoint billing | Set-ForgeCheckpoint -Store ./store -KeyFile ./store.key -Consumer billing</code>
/// <para>Marks every event not yet seen by the consumer billing as processed.</para>
/// </example>
/// <example>
/// <code>$batch = Get-ForgeEvent -AfterCheckpoint mailer -Topic mail/outgoing -First 100; Send-Mails $batch; Set-ForgeCheckpoint -Consumer mailer -InputObject $batch</code>
/// <para>Processes a batch of events and then checkpoints it, so a crash in between delivers the batch again rather than losing it.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "ForgeCheckpoint", SupportsShouldProcess = true)]
[OutputType(typeof(ConsumerCheckpoint))]
public sealed class SetForgeCheckpointCommand : ForgeStoreCmdlet
{
    // Only the newest record of each shard decides the checkpoint, so that is all that is kept of a long pipeline.
    private readonly Dictionary<int, EventMessage> _events = [];
    private readonly Dictionary<int, LogEntry> _logs = [];
    private readonly List<EventMessage> _unstoredEvents = [];
    private readonly List<LogEntry> _unstoredLogs = [];

    /// <summary>The consumer's name: 1 to 128 letters, digits and . _ - / :, for example billing.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Consumer { get; set; } = "";

    /// <summary>The events (EventMessage) or log entries (LogEntry) the consumer has processed, read back from this store.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public object[] InputObject { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            switch (item is PSObject wrapped ? wrapped.BaseObject : item)
            {
                case EventMessage message when message.Id <= 0:
                    _unstoredEvents.Add(message);
                    break;
                case EventMessage message:
                    if (!_events.TryGetValue(message.Shard, out var seen) || seen.Id < message.Id)
                    {
                        _events[message.Shard] = message;
                    }

                    break;
                case LogEntry entry when entry.Id <= 0:
                    _unstoredLogs.Add(entry);
                    break;
                case LogEntry entry:
                    if (!_logs.TryGetValue(entry.Shard, out var seenEntry) || seenEntry.Id < entry.Id)
                    {
                        _logs[entry.Shard] = entry;
                    }

                    break;
                default:
                    WriteError(new ErrorRecord(
                        new ArgumentException($"Set-ForgeCheckpoint takes events from Get-ForgeEvent or log entries from Get-ForgeLog, not {item?.GetType().Name ?? "null"}."),
                        "InvalidInputObject", ErrorCategory.InvalidArgument, item));
                    break;
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var events = _events.Count > 0 || _unstoredEvents.Count > 0;
        var logs = _logs.Count > 0 || _unstoredLogs.Count > 0;
        if (!events && !logs)
        {
            base.EndProcessing();
            return;
        }

        var store = OpenStore();
        if (events && ShouldProcess(Consumer, $"Move the event checkpoint in {store.Path}"))
        {
            try
            {
                WriteObject(store.Events.SetCheckpoint(Consumer, [.. _events.Values, .. _unstoredEvents]));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, Consumer);
            }
        }

        if (logs && ShouldProcess(Consumer, $"Move the log checkpoint in {store.Path}"))
        {
            try
            {
                WriteObject(store.Logs.SetCheckpoint(Consumer, [.. _logs.Values, .. _unstoredLogs]));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, Consumer);
            }
        }

        base.EndProcessing();
    }
}
