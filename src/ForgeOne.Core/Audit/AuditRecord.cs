using System.Buffers;
using System.Text.Json;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Audit;

/// <summary>
/// One entry of the audit log: who did what to what, how it ended, and the chain fields that make the log
/// tamper-evident (docs/design.md, "Audit log").
/// </summary>
/// <remarks>
/// <para>The JSON form (<see cref="ToJson"/>) is what the repository stores and what <c>forge audit list --json</c>
/// writes, one record per line; <see cref="GetCanonicalBytes"/> is the same document without <c>hash</c> and
/// <c>signature</c>. <see cref="Hash"/> is BLAKE3 of the canonical bytes, <see cref="Signature"/> is Ed25519 over the
/// 32 hash bytes, and <see cref="PreviousHash"/> is the previous record's <see cref="Hash"/>.</para>
/// <para>A record read back is what was stored, not proof that it is authentic: <see cref="AuditVerifier"/> checks
/// hashes, signatures and the chain. A record changed with <c>with</c> keeps its old hash and signature, so it fails
/// verification, which is what tests use it for.</para>
/// </remarks>
public sealed record AuditRecord
{
    /// <summary>The record format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Largest record accepted, as JSON, in bytes (64 KiB).</summary>
    public const int MaxJsonLength = 64 * 1024;

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>The record's position in the log: 1 for the first record, then one more for each.</summary>
    public required long Sequence { get; init; }

    /// <summary>When the operation happened (the writer's clock), UTC, to 100 ns. Not ordered by sequence.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Who did it.</summary>
    public required AuditActor Actor { get; init; }

    /// <summary>The operation, for example <c>backup.create</c> (see <see cref="AuditOperations"/>).</summary>
    public required string Operation { get; init; }

    /// <summary>What it acted on; empty when nothing.</summary>
    public required string Target { get; init; }

    /// <summary>The parameters that matter, never secrets.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>How it ended.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>The error message of a failed or denied operation; null otherwise.</summary>
    public required string? Error { get; init; }

    /// <summary>Related snapshot, lock, key slot or evidence ids.</summary>
    public required IReadOnlyList<string> RelatedIds { get; init; }

    /// <summary>The previous record's <see cref="Hash"/>; <see cref="AuditHead.GenesisHash"/> for the first record.</summary>
    public required string PreviousHash { get; init; }

    /// <summary>BLAKE3 of <see cref="GetCanonicalBytes"/>, 64 lower-case hex digits.</summary>
    public required string Hash { get; init; }

    /// <summary>Ed25519 signature of the 32 bytes of <see cref="Hash"/>, 128 lower-case hex digits.</summary>
    public required string Signature { get; init; }

    /// <summary>The log's head if this record is the last: its sequence number and hash.</summary>
    /// <exception cref="ArgumentException"><see cref="Hash"/> is not 64 lower-case hex digits.</exception>
    public AuditHead Head => new(Sequence, Hash);

    /// <summary>
    /// The bytes that are hashed: the record's JSON in the fixed field order, compact, strings escaped as in RFC 8785,
    /// parameters sorted by the UTF-8 bytes of their names, without <c>hash</c> and <c>signature</c>.
    /// </summary>
    /// <returns>UTF-8 JSON.</returns>
    /// <exception cref="ArgumentException">A text field is not valid Unicode.</exception>
    public byte[] GetCanonicalBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            WriteCanonicalFields(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Computes what <see cref="Hash"/> must be: BLAKE3 of <see cref="GetCanonicalBytes"/>.</summary>
    /// <returns>64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentException">A text field is not valid Unicode.</exception>
    public string ComputeHash() => ObjectNames.ToHex(Blake3.Hash(GetCanonicalBytes()));

    /// <summary>The record as one line of JSON: the canonical fields, then <c>hash</c> and <c>signature</c>.</summary>
    /// <returns>UTF-8 JSON without a line break; what the repository stores and SIEM export writes.</returns>
    /// <exception cref="ArgumentException">A text field is not valid Unicode.</exception>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            WriteCanonicalFields(writer);
            CanonicalJson.WriteString(writer, "hash", Hash);
            CanonicalJson.WriteString(writer, "signature", Signature);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses and validates a record's JSON (as <see cref="ToJson"/> writes it).</summary>
    /// <param name="json">UTF-8 JSON, one record.</param>
    /// <returns>The record, not yet verified.</returns>
    /// <exception cref="UnsupportedFormatException"><c>version</c> is not 1.</exception>
    /// <exception cref="MalformedObjectException">The text is not JSON, a field is missing, repeated, of the wrong type
    /// or out of range, or the record is larger than <see cref="MaxJsonLength"/>.</exception>
    public static AuditRecord Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxJsonLength)
        {
            throw Malformed($"it is {json.Length} bytes, more than the {MaxJsonLength} allowed");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), ReaderOptions);
        }
        catch (JsonException ex)
        {
            throw Malformed("it is not valid JSON", ex);
        }

        using (document)
        {
            var fields = new JsonFields(document.RootElement, "", problem => Malformed(problem));
            var version = fields.RequireInt32("version");
            if (version != FormatVersion)
            {
                throw new UnsupportedFormatException(ObjectKind.AuditSegment, null, "audit record version",
                    version.ToString(System.Globalization.CultureInfo.InvariantCulture), "1");
            }

            var sequence = fields.RequireNonNegative("sequence");
            if (sequence == 0)
            {
                throw fields.Fail("field \"sequence\" is 0; records count from 1");
            }

            var actorFields = new JsonFields(fields.Require("actor"), "actor", problem => Malformed(problem));
            var processId = actorFields.RequireInt32("processId");
            if (processId < 0)
            {
                throw fields.Fail("field \"processId\" of actor is negative");
            }

            var actor = new AuditActor(
                actorFields.RequireString("user"), actorFields.RequireString("host"), processId, actorFields.RequireString("processName"));
            var parametersElement = fields.Require("parameters");
            var parameterFields = new JsonFields(parametersElement, "parameters", problem => Malformed(problem));
            var parameters = new SortedDictionary<string, string>(Utf8Ordinal.Instance);
            foreach (var property in parametersElement.EnumerateObject())
            {
                parameters[property.Name] = parameterFields.RequireString(property.Name);
            }

            var outcomeText = fields.RequireString("outcome");
            var outcome = ParseOutcome(outcomeText) ?? throw fields.Fail(
                $"field \"outcome\" is '{CanonicalJson.Truncate(outcomeText)}', not succeeded, failed or denied");
            if (fields.Require("error").ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
            {
                throw fields.Fail("field \"error\" is neither a string nor null");
            }

            var signature = fields.RequireString("signature");
            if (signature.Length != AuditPublicKey.SignatureSize * 2 || !IsLowerHex(signature))
            {
                throw fields.Fail($"field \"signature\" is not {AuditPublicKey.SignatureSize * 2} lower-case hex digits");
            }

            return new AuditRecord
            {
                Sequence = sequence,
                Time = fields.RequireTime("time"),
                Actor = actor,
                Operation = fields.RequireString("operation"),
                Target = fields.RequireString("target"),
                Parameters = parameters,
                Outcome = outcome,
                Error = fields.OptionalString("error"),
                RelatedIds = fields.RequireStringArray("relatedIds"),
                PreviousHash = fields.RequireHexId("previousHash"),
                Hash = fields.RequireHexId("hash"),
                Signature = signature,
            };
        }
    }

    /// <summary>Builds and signs the record that follows <paramref name="previous"/>.</summary>
    internal static AuditRecord Create(AuditEvent auditEvent, AuditHead previous, DateTimeOffset time, AuditActor actor,
        AuditSigningKey signingKey)
    {
        var parameters = new SortedDictionary<string, string>(Utf8Ordinal.Instance);
        foreach (var (name, value) in auditEvent.Parameters)
        {
            parameters.Add(name, value);
        }

        var unsigned = new AuditRecord
        {
            Sequence = previous.Sequence + 1,
            Time = time.ToUniversalTime(),
            Actor = actor,
            Operation = auditEvent.Operation,
            Target = auditEvent.Target,
            Parameters = parameters,
            Outcome = auditEvent.Outcome,
            Error = auditEvent.Error,
            RelatedIds = auditEvent.RelatedIds.ToArray(),
            PreviousHash = previous.Hash,
            Hash = AuditHead.GenesisHash,
            Signature = "",
        };
        var hash = Blake3.Hash(unsigned.GetCanonicalBytes());
        return unsigned with { Hash = ObjectNames.ToHex(hash), Signature = ObjectNames.ToHex(signingKey.Sign(hash)) };
    }

    /// <summary>The JSON name of an outcome: <c>succeeded</c>, <c>failed</c> or <c>denied</c>.</summary>
    internal static string FormatOutcome(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Succeeded => "succeeded",
        AuditOutcome.Failed => "failed",
        AuditOutcome.Denied => "denied",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an audit outcome."),
    };

    private static AuditOutcome? ParseOutcome(string text) => text switch
    {
        "succeeded" => AuditOutcome.Succeeded,
        "failed" => AuditOutcome.Failed,
        "denied" => AuditOutcome.Denied,
        _ => null,
    };

    private static bool IsLowerHex(string text) => text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static MalformedObjectException Malformed(string problem, Exception? innerException = null) =>
        new(ObjectKind.AuditSegment, null, problem, innerException);

    // Parameter names are caller text, so they are escaped by the canonical rule too; the writer's own encoder would
    // escape property names as it sees fit.
    private void WriteParameters(Utf8JsonWriter writer)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("{"u8);
        var first = true;
        foreach (var name in Parameters.Keys.Order(Utf8Ordinal.Instance))
        {
            if (!first)
            {
                buffer.Write(","u8);
            }

            first = false;
            AppendString(buffer, name);
            buffer.Write(":"u8);
            AppendString(buffer, Parameters[name]);
        }

        buffer.Write("}"u8);
        writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
    }

    private static void AppendString(ArrayBufferWriter<byte> buffer, string value)
    {
        using var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions);
        CanonicalJson.WriteStringValue(writer, value);
    }

    private void WriteCanonicalFields(Utf8JsonWriter writer)
    {
        writer.WriteNumber("version", FormatVersion);
        writer.WriteNumber("sequence", Sequence);
        CanonicalJson.WriteTime(writer, "time", Time);
        writer.WritePropertyName("actor");
        writer.WriteStartObject();
        CanonicalJson.WriteString(writer, "user", Actor.User);
        CanonicalJson.WriteString(writer, "host", Actor.Host);
        writer.WriteNumber("processId", Actor.ProcessId);
        CanonicalJson.WriteString(writer, "processName", Actor.ProcessName);
        writer.WriteEndObject();
        CanonicalJson.WriteString(writer, "operation", Operation);
        CanonicalJson.WriteString(writer, "target", Target);
        writer.WritePropertyName("parameters");
        WriteParameters(writer);
        CanonicalJson.WriteString(writer, "outcome", FormatOutcome(Outcome));
        if (Error is null)
        {
            writer.WriteNull("error");
        }
        else
        {
            CanonicalJson.WriteString(writer, "error", Error);
        }

        writer.WritePropertyName("relatedIds");
        writer.WriteStartArray();
        foreach (var id in RelatedIds)
        {
            CanonicalJson.WriteStringValue(writer, id);
        }

        writer.WriteEndArray();
        CanonicalJson.WriteString(writer, "previousHash", PreviousHash);
    }
}
