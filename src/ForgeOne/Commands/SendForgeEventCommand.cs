using System.Collections;
using System.Management.Automation;
using ForgeOne.Core.Store.Events;

namespace ForgeOne.Commands;

/// <summary>Sends events to a store, in batches, from the pipeline.</summary>
/// <remarks>
/// <para>Send-ForgeEvent takes pipeline input three ways: strings, each the payload of one event with -Topic,
/// -Priority, -Metadata, -Subject and -SensitiveField from the command line; objects with Topic and Payload
/// properties (and optionally Priority, Metadata, Subject, SensitiveField and Timestamp), bound by property name; and
/// EventMessage objects, for example from Get-ForgeEvent of another store, sent as they are.</para>
/// <para>Events are checked one by one and buffered; every 4096 events, and when the pipeline ends, the buffer is
/// written to the store's event shards in parallel, one transaction per shard, and each shard's topic counts are
/// updated with it. An event that breaks an input rule (no topic, a payload over 64 KiB, a bad metadata key, a
/// timestamp out of range) is a StoreValidationFailed error naming the field, and the other events are sent. Events
/// without a timestamp get the time they were written. If Ctrl+C stops the command, events not yet written are
/// dropped; every batch written before stays.</para>
/// <para>With -PassThru the stored events, with their ids and shards, are written to the output as their batches
/// commit (in shard order, not input order).</para>
/// </remarks>
/// <example>
/// <code>Send-ForgeEvent -Store ./store -KeyFile ./store.key -Topic orders/created -Payload '{"order":1001}' -Priority High</code>
/// <para>Sends one event.</para>
/// </example>
/// <example>
/// <code>Get-Content ./orders.jsonl | Send-ForgeEvent -Topic orders/imported</code>
/// <para>Sends each line of a file as the payload of one event to the store named by FORGE_STORE.</para>
/// </example>
/// <example>
/// <code>Get-ForgeEvent -Store ./old -KeyFile ./old.key | Send-ForgeEvent -Store ./new -KeyFile ./new.key</code>
/// <para>Copies every event of one store into another, keeping topics, times and priorities.</para>
/// </example>
[Cmdlet(VerbsCommunications.Send, "ForgeEvent", DefaultParameterSetName = PayloadSet)]
[OutputType(typeof(EventMessage))]
public sealed class SendForgeEventCommand : ForgeStoreCmdlet
{
    private const string PayloadSet = "Payload";
    private const string MessageSet = "Message";

    private readonly StoreWriters<EventMessage> _writers;

    // An int, not an EventPriority: see ForgeStoreCmdlet on fields of Core value types.
    private int _priority = (int)EventPriority.Normal;

    /// <summary>Creates the command.</summary>
    public SendForgeEventCommand() => _writers = new(store => store.Events.OpenWriter(returnWritten: PassThru));

    /// <summary>The payload (JSON, typically), at most 64 KiB of UTF-8; from the pipeline, each string is one event.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PayloadSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Payload { get; set; } = "";

    /// <summary>Events to send as they are (their topic, time, priority, metadata and subject).</summary>
    [Parameter(Mandatory = true, ParameterSetName = MessageSet, ValueFromPipeline = true)]
    public EventMessage? InputObject { get; set; }

    /// <summary>The topic, for example orders/created: 1 to 128 letters, digits and . _ - / :, starting with a letter or digit.</summary>
    [Parameter(ParameterSetName = PayloadSet, ValueFromPipelineByPropertyName = true)]
    public string? Topic { get; set; }

    /// <summary>How urgent the event is: Low, Normal (the default), High or Critical.</summary>
    [Parameter(ParameterSetName = PayloadSet, ValueFromPipelineByPropertyName = true)]
    public EventPriority Priority
    {
        get => (EventPriority)_priority;
        set => _priority = (int)value;
    }

    /// <summary>Extra fields, up to 64: keys of letters, digits and . _ -, values of up to 4096 characters.</summary>
    [Parameter(ParameterSetName = PayloadSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? Metadata { get; set; }

    /// <summary>The data subject the event is about (a user id, an email address); sealed under that subject's own key.</summary>
    [Parameter(ParameterSetName = PayloadSet, ValueFromPipelineByPropertyName = true)]
    public string? Subject { get; set; }

    /// <summary>Metadata fields that are personal data, sealed with -Subject so erasing the subject erases them.</summary>
    [Parameter(ParameterSetName = PayloadSet, ValueFromPipelineByPropertyName = true)]
    public string[]? SensitiveField { get; set; }

    /// <summary>When the event happened; by default the time it is written.</summary>
    [Parameter(ParameterSetName = PayloadSet, ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Writes each stored event, with its id and shard, to the output.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteToStore(_writers, () => ParameterSetName == MessageSet ? InputObject! : BuildMessage(), ParameterSetName == MessageSet ? InputObject! : Payload, PassThru);

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        FlushStores(_writers, PassThru);
        base.EndProcessing();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writers.Dispose();
        }

        base.Dispose(disposing);
    }

    private EventMessage BuildMessage() => new()
    {
        Topic = Topic ?? "",
        Payload = Payload,
        Priority = Priority,
        Timestamp = Timestamp ?? default,
        Subject = Subject,
        SensitiveFields = SensitiveField ?? [],
        Metadata = StoreParameters.ToMetadata(Metadata),
    };
}
