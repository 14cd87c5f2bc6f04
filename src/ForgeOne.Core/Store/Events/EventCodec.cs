using System.Buffers.Binary;
using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Keys;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Events;

/// <summary>
/// How events are checked, routed and serialized. The plaintext of one event in an <c>events</c> block, layout 1:
/// <c>1:u8 || timestamp:zigzag(µs) || priority:u8 || topic:str || payload:str || checkpointMarker:str ||
/// metadata:map || subject part</c> (<see cref="SubjectFields"/>).
/// </summary>
public sealed class EventCodec : TimeSeriesCodec<EventMessage>
{
    /// <summary>The one instance.</summary>
    public static readonly EventCodec Instance = new();

    private const byte Layout = 1;

    private EventCodec()
    {
    }

    /// <inheritdoc/>
    public override StoreDatabaseKind Kind => StoreDatabaseKind.Events;

    /// <inheritdoc/>
    public override string ValueTable => "events";

    /// <inheritdoc/>
    public override string IndexTable => "event_index";

    /// <inheritdoc/>
    public override EventMessage Validate(EventMessage record, DateTimeOffset now)
    {
        Validation.Topic(record.Topic);
        Validation.Text("Payload", record.Payload);
        Validation.Metadata(record.Metadata);
        Validation.Subject(record.Subject, record.SensitiveFields, record.Metadata);
        Validation.Label("CheckpointMarker", record.CheckpointMarker);
        if (!Enum.IsDefined(record.Priority))
        {
            throw new StoreValidationException("Priority", $"{(int)record.Priority} is not a priority; use Low, Normal, High or Critical.");
        }

        var timestamp = record.Timestamp == default ? now : record.Timestamp;
        return record with { Timestamp = Validation.Timestamp(timestamp, now) };
    }

    /// <inheritdoc/>
    public override string TopicOf(EventMessage record) => record.Topic;

    /// <inheritdoc/>
    public override DateTimeOffset TimestampOf(EventMessage record) => record.Timestamp;

    /// <inheritdoc/>
    public override long IdOf(EventMessage record) => record.Id;

    /// <inheritdoc/>
    public override ulong RouteHash(EventMessage record) => RouteHashOf(record.Topic, record.Payload, record.Timestamp);

    /// <inheritdoc/>
    public override void Serialize(EventMessage record, ReadOnlySpan<byte> recordKey, RecordWriter writer, SubjectVault vault)
    {
        RecordHead.Write(writer, Layout, record.Timestamp);
        writer.WriteByte((byte)record.Priority);
        writer.WriteString(record.Topic);
        writer.WriteString(record.Payload);
        writer.WriteString(record.CheckpointMarker);
        SubjectFields.WriteMetadata(writer, vault, ValueTable, recordKey, record.Metadata, record.Subject, record.SensitiveFields);
    }

    /// <inheritdoc/>
    public override EventMessage Deserialize(long id, int shard, ReadOnlySpan<byte> plaintext, SubjectVault vault)
    {
        var reader = new RecordReader(plaintext);
        Span<byte> recordKey = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(recordKey, id);
        var layout = reader.ReadByte();
        if (layout != Layout)
        {
            throw new InvalidDataException($"event layout {layout} is unknown to this build");
        }

        var timestamp = IndexPosition.FromMicros(reader.ReadInt64());
        var priority = (EventPriority)reader.ReadByte();
        var topic = reader.ReadName();
        var payload = reader.ReadString();
        var marker = reader.ReadString();
        var (metadata, subject, sensitive, erased) = SubjectFields.ReadMetadata(ref reader, vault, ValueTable, recordKey);

        return new EventMessage
        {
            Id = id,
            Shard = shard,
            Topic = topic,
            Timestamp = timestamp,
            Priority = priority,
            Payload = payload,
            CheckpointMarker = marker.Length == 0 ? null : marker,
            Metadata = metadata,
            Subject = subject,
            SensitiveFields = sensitive,
            SubjectErased = erased,
        };
    }

    /// <inheritdoc/>
    public override EventMessage WithId(EventMessage record, long id, int shard) => record with { Id = id, Shard = shard };

    /// <summary>Counts the batch into the shard's topic rows in the same transaction, so counts never miss a batch.</summary>
    /// <param name="shard">The shard written.</param>
    /// <param name="transaction">Its write transaction.</param>
    /// <param name="written">The events written.</param>
    public override void OnBatchWritten(StoreShard shard, SqliteTransaction transaction, IReadOnlyList<EventMessage> written) =>
        TopicTable.Add(shard, written, DateTimeOffset.UtcNow, transaction);
}
