using System.Collections;
using System.Management.Automation;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Commands;

/// <summary>Writes log entries to a store, in batches, from the pipeline.</summary>
/// <remarks>
/// <para>Write-ForgeLog takes pipeline input three ways: strings, each the message of one entry with -Topic,
/// -Severity, -Metadata, -Subject and -SensitiveField from the command line; objects with Topic and Message
/// properties (and optionally Severity, Metadata, Subject, SensitiveField and Timestamp), bound by property name; and
/// LogEntry objects, for example from Get-ForgeLog of another store.</para>
/// <para>Entries are checked one by one and buffered; every 4096 entries, and when the pipeline ends, the buffer is
/// written to the store's log shards in parallel, one transaction per shard. An entry that breaks an input rule
/// (no topic, a message over 64 KiB, a bad metadata key, a timestamp out of range) is reported as a
/// StoreValidationFailed error naming the field, and the other entries are written. Entries without a timestamp get
/// the time they were written. If Ctrl+C stops the command, entries not yet written are dropped; every batch
/// written before stays.</para>
/// <para>With -PassThru the stored entries, with their ids and shards, are written to the output as their batches
/// commit (in shard order, not input order).</para>
/// </remarks>
/// <example>
/// <code>Write-ForgeLog -Topic app/auth -Severity Warning -Message 'login failed' -Metadata @{ user = 'u42' }</code>
/// <para>Writes one entry to the store named by FORGE_STORE (or the config file).</para>
/// </example>
/// <example>
/// <code>Get-Content ./app.log | Write-ForgeLog -Store ./store -KeyFile ./store.key -Topic app/legacy</code>
/// <para>Writes every line of a log file as an entry of topic app/legacy.</para>
/// </example>
/// <example>
/// <code>Import-Csv ./events.csv | Write-ForgeLog -Store ./store -KeyFile ./store.key</code>
/// <para>Writes one entry per row; the Topic, Message and Severity columns bind by property name.</para>
/// </example>
/// <example>
/// <code>Write-ForgeLog -Topic app/auth -Message 'password reset' -Subject user-42 -Metadata @{ email = 'a@example.com' } -SensitiveField email -PassThru</code>
/// <para>Writes an entry whose email field is sealed under the data subject's own key, and shows the stored entry.</para>
/// </example>
[Cmdlet(VerbsCommunications.Write, "ForgeLog", DefaultParameterSetName = MessageSet)]
[OutputType(typeof(LogEntry))]
public sealed class WriteForgeLogCommand : ForgeStoreCmdlet
{
    private const string MessageSet = "Message";
    private const string EntrySet = "Entry";

    // Entries come back from the writer only for -PassThru: building them (each with its content hash) is an eighth of
    // the cost of ingesting.
    private readonly StoreWriters<LogEntry> _writers;

    // An int, not a LogSeverity: a field of a Core value type would make Import-Module load Core before the module's
    // load context is hooked up (see ForgeStoreCmdlet).
    private int _severity = (int)LogSeverity.Information;

    /// <summary>Creates the command.</summary>
    public WriteForgeLogCommand() => _writers = new(store => store.Logs.OpenWriter(returnWritten: PassThru));

    /// <summary>The message of the entry; from the pipeline, each string is one entry.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = MessageSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Message { get; set; } = "";

    /// <summary>Log entries to write as they are (their topic, time, severity, metadata and subject).</summary>
    [Parameter(Mandatory = true, ParameterSetName = EntrySet, ValueFromPipeline = true)]
    public LogEntry? Entry { get; set; }

    /// <summary>The topic, for example app/auth: 1 to 128 letters, digits and . _ - / :, starting with a letter or digit.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    public string? Topic { get; set; }

    /// <summary>How serious the entry is: Trace, Debug, Information (the default), Warning, Error or Critical.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    public LogSeverity Severity
    {
        get => (LogSeverity)_severity;
        set => _severity = (int)value;
    }

    /// <summary>Extra fields, up to 64: keys of letters, digits and . _ -, values of up to 4096 characters.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? Metadata { get; set; }

    /// <summary>The data subject the entry is about (a user id, an email address); sealed under that subject's own key.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    public string? Subject { get; set; }

    /// <summary>Metadata fields that are personal data, sealed with -Subject so erasing the subject erases them.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    public string[]? SensitiveField { get; set; }

    /// <summary>When the logged event happened; by default the time the entry is written.</summary>
    [Parameter(ParameterSetName = MessageSet, ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Writes each stored entry, with its id and shard, to the output.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        WriteToStore(_writers, () => ParameterSetName == EntrySet ? Entry! : BuildEntry(), ParameterSetName == EntrySet ? Entry! : Message, PassThru);

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

    private LogEntry BuildEntry() => new()
    {
        Topic = Topic ?? "",
        Message = Message,
        Severity = Severity,
        Timestamp = Timestamp ?? default,
        Subject = Subject,
        SensitiveFields = SensitiveField ?? [],
        Metadata = StoreParameters.ToMetadata(Metadata),
    };
}
