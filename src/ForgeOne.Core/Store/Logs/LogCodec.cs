using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Keys;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Store.Logs;

/// <summary>
/// How log entries are checked, routed and serialized. The plaintext of one entry in a <c>logs</c> block, layout 1:
/// <c>1:u8 || timestamp:zigzag(µs) || severity:u8 || topic:str || message:str || checkpointMarker:str ||
/// metadata:map || subject part</c> (<see cref="SubjectFields"/>). The content hash is not stored: it is the
/// BLAKE3 of the message, recomputed on read.
/// </summary>
public sealed class LogCodec : TimeSeriesCodec<LogEntry>
{
    /// <summary>The one instance.</summary>
    public static readonly LogCodec Instance = new();

    private const byte Layout = 1;

    private LogCodec()
    {
    }

    /// <inheritdoc/>
    public override StoreDatabaseKind Kind => StoreDatabaseKind.Logs;

    /// <inheritdoc/>
    public override string ValueTable => "logs";

    /// <inheritdoc/>
    public override string IndexTable => "log_index";

    /// <inheritdoc/>
    public override LogEntry Validate(LogEntry record, DateTimeOffset now)
    {
        Validation.Topic(record.Topic);
        Validation.Text("Message", record.Message);
        Validation.Metadata(record.Metadata);
        Validation.Subject(record.Subject, record.SensitiveFields, record.Metadata);
        if (!Enum.IsDefined(record.Severity))
        {
            throw new StoreValidationException("Severity", $"{(int)record.Severity} is not a severity; use Trace, Debug, Information, Warning, Error or Critical.");
        }

        var timestamp = record.Timestamp == default ? now : record.Timestamp;
        return record with { Timestamp = Validation.Timestamp(timestamp, now) };
    }

    /// <inheritdoc/>
    public override string TopicOf(LogEntry record) => record.Topic;

    /// <inheritdoc/>
    public override DateTimeOffset TimestampOf(LogEntry record) => record.Timestamp;

    /// <inheritdoc/>
    public override long IdOf(LogEntry record) => record.Id;

    /// <inheritdoc/>
    public override ulong RouteHash(LogEntry record) => RouteHashOf(record.Topic, record.Message, record.Timestamp);

    /// <inheritdoc/>
    public override void Serialize(LogEntry record, ReadOnlySpan<byte> recordKey, RecordWriter writer, SubjectVault vault)
    {
        RecordHead.Write(writer, Layout, record.Timestamp);
        writer.WriteByte((byte)record.Severity);
        writer.WriteString(record.Topic);
        writer.WriteString(record.Message);
        writer.WriteString(record.CheckpointMarker);
        SubjectFields.WriteMetadata(writer, vault, ValueTable, recordKey, record.Metadata, record.Subject, record.SensitiveFields);
    }

    /// <inheritdoc/>
    public override LogEntry Deserialize(long id, int shard, ReadOnlySpan<byte> plaintext, SubjectVault vault)
    {
        var reader = new RecordReader(plaintext);
        Span<byte> recordKey = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(recordKey, id);
        var layout = reader.ReadByte();
        if (layout != Layout)
        {
            throw new InvalidDataException($"log entry layout {layout} is unknown to this build");
        }

        var timestamp = IndexPosition.FromMicros(reader.ReadInt64());
        var severity = (LogSeverity)reader.ReadByte();
        var topic = reader.ReadName();
        var message = Encoding.UTF8.GetString(reader.ReadUtf8());
        var marker = reader.ReadString();
        var (metadata, subject, sensitive, erased) = SubjectFields.ReadMetadata(ref reader, vault, ValueTable, recordKey);

        return new LogEntry
        {
            HashesMessage = true,
            Id = id,
            Shard = shard,
            Topic = topic,
            Timestamp = timestamp,
            Severity = severity,
            Message = message,
            CheckpointMarker = marker.Length == 0 ? null : marker,
            Metadata = metadata,
            Subject = subject,
            SensitiveFields = sensitive,
            SubjectErased = erased,
        };
    }

    /// <inheritdoc/>
    public override LogEntry WithId(LogEntry record, long id, int shard) => record with { Id = id, Shard = shard };

    /// <summary>The entry with its content hash, as entries read back have it.</summary>
    /// <param name="record">The entry as written.</param>
    /// <returns>The entry with <see cref="LogEntry.ContentHash"/> set.</returns>
    /// <remarks>Only for writers that return what they wrote: hashing every message cost an eighth of ingest.</remarks>
    public override LogEntry Returned(LogEntry record) => record.WithContentHashFromMessage();

    /// <summary>BLAKE3 of a message's UTF-8, as lowercase hex: a log entry's content hash.</summary>
    /// <param name="message">The message.</param>
    /// <returns>64 hex digits.</returns>
    internal static string ContentHashOf(string message)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(message.Length));
        try
        {
            return ContentHashOf(buffer.AsSpan(0, Encoding.UTF8.GetBytes(message, buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // BLAKE3 of the message's UTF-8 as lowercase hex, hashed from the bytes already at hand.
    private static string ContentHashOf(ReadOnlySpan<byte> message)
    {
        Span<byte> hash = stackalloc byte[32];
        Blake3.Hash(message, hash);
        return ObjectNames.ToHex(hash);
    }
}
