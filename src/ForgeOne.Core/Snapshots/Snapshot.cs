using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// One backup: when and where it ran, what it saved (the root tree), what it cost and the DNA hash of the data.
/// Shown as a table in PowerShell and as JSON by <c>forge --json</c>.
/// </summary>
/// <remarks>
/// <para>
/// Stored as a snapshot object in the JSON of docs/design.md ("Repository format", "Snapshot"). The
/// <see cref="Id"/> is not in the JSON: it is the object's name, the hash of the sealed bytes, so it is known only
/// once the snapshot is saved (<c>snapshot with { Id = id }</c>).
/// </para>
/// <para>
/// Read-only: every property is set at creation and lists are copied. Times are UTC (a value with another offset
/// is converted) and kept to 100 ns. Ids and hashes are 64 lower-case hex digits. Two snapshots are equal when
/// every field is, lists compared item by item.
/// </para>
/// </remarks>
public sealed record Snapshot
{
    /// <summary>The snapshot format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 6 };

    private readonly string? _id;
    private readonly DateTimeOffset _time;
    private readonly DateTimeOffset _endTime;
    private readonly string _host = "";
    private readonly string _user = "";
    private readonly IReadOnlyList<string> _paths = Array.Empty<string>();
    private readonly IReadOnlyList<string> _tags = Array.Empty<string>();
    private readonly string? _parent;
    private readonly string _tree = "";
    private readonly long _files;
    private readonly long _directories;
    private readonly long _logicalBytes;
    private readonly long _addedBytes;
    private readonly long _storedBytes;
    private readonly string? _dnaHash;
    private readonly IReadOnlyList<string> _warnings = Array.Empty<string>();
    private readonly string? _auditHead;
    private readonly StoreManifest? _store;

    /// <summary>The snapshot's id (its object name), or null before it is saved.</summary>
    /// <exception cref="ArgumentException">Set to something other than 64 lower-case hex digits.</exception>
    public string? Id
    {
        get => _id;
        init => _id = OptionalHex(value, nameof(Id));
    }

    /// <summary>The first 8 digits of <see cref="Id"/>, as shown in lists, or null before the snapshot is saved.</summary>
    public string? ShortId => _id?[..8];

    /// <summary>When the backup started, UTC.</summary>
    public required DateTimeOffset Time
    {
        get => _time;
        init => _time = value.ToUniversalTime();
    }

    /// <summary>When the backup finished, UTC.</summary>
    public required DateTimeOffset EndTime
    {
        get => _endTime;
        init => _endTime = value.ToUniversalTime();
    }

    /// <summary>How long the backup ran: <see cref="EndTime"/> minus <see cref="Time"/>.</summary>
    public TimeSpan Duration => _endTime - _time;

    /// <summary>The name of the machine that was backed up.</summary>
    /// <exception cref="ArgumentException">Set to text that is not valid Unicode.</exception>
    public required string Host
    {
        get => _host;
        init => _host = Text(value, nameof(Host));
    }

    /// <summary>The user who ran the backup.</summary>
    /// <exception cref="ArgumentException">Set to text that is not valid Unicode.</exception>
    public required string User
    {
        get => _user;
        init => _user = Text(value, nameof(User));
    }

    /// <summary>The paths that were backed up, as given (absolute).</summary>
    /// <exception cref="ArgumentException">Set to a list holding null or text that is not valid Unicode.</exception>
    public IReadOnlyList<string> Paths
    {
        get => _paths;
        init => _paths = TextList(value, nameof(Paths));
    }

    /// <summary>The tags given to the backup; empty when none.</summary>
    /// <exception cref="ArgumentException">Set to a list holding null or text that is not valid Unicode.</exception>
    public IReadOnlyList<string> Tags
    {
        get => _tags;
        init => _tags = TextList(value, nameof(Tags));
    }

    /// <summary>The id of the snapshot this backup compared against to skip unchanged files, or null.</summary>
    /// <exception cref="ArgumentException">Set to something other than 64 lower-case hex digits.</exception>
    public string? Parent
    {
        get => _parent;
        init => _parent = OptionalHex(value, nameof(Parent));
    }

    /// <summary>The id of the root tree blob.</summary>
    /// <exception cref="ArgumentException">Set to something other than 64 lower-case hex digits.</exception>
    public required string Tree
    {
        get => _tree;
        init => _tree = OptionalHex(value, nameof(Tree)) ?? throw new ArgumentNullException(nameof(Tree));
    }

    /// <summary>How many files the snapshot holds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public long Files
    {
        get => _files;
        init => _files = Count(value, nameof(Files));
    }

    /// <summary>How many directories the snapshot holds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public long Directories
    {
        get => _directories;
        init => _directories = Count(value, nameof(Directories));
    }

    /// <summary>The total size of the files' content, before deduplication and compression.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public long LogicalBytes
    {
        get => _logicalBytes;
        init => _logicalBytes = Count(value, nameof(LogicalBytes));
    }

    /// <summary>The plaintext bytes of blobs this backup added (data the repository did not hold yet).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public long AddedBytes
    {
        get => _addedBytes;
        init => _addedBytes = Count(value, nameof(AddedBytes));
    }

    /// <summary>The bytes this backup wrote to storage: the added blobs compressed and sealed, with pack headers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public long StoredBytes
    {
        get => _storedBytes;
        init => _storedBytes = Count(value, nameof(StoredBytes));
    }

    /// <summary>
    /// The DNA hash of the backed-up data (docs/design.md, "DNA hash"): what <c>forge_dna</c> prints for a full
    /// restore. Null when it could not be computed (a path holding a line feed); <see cref="Warnings"/> says why.
    /// </summary>
    /// <exception cref="ArgumentException">Set to something other than 64 lower-case hex digits.</exception>
    public string? DnaHash
    {
        get => _dnaHash;
        init => _dnaHash = OptionalHex(value, nameof(DnaHash));
    }

    /// <summary>What the backup could not do (unreadable files, skipped special files); empty when nothing.</summary>
    /// <exception cref="ArgumentException">Set to a list holding null or text that is not valid Unicode.</exception>
    public IReadOnlyList<string> Warnings
    {
        get => _warnings;
        init => _warnings = TextList(value, nameof(Warnings));
    }

    /// <summary>The audit log's head when the backup committed (<c>&lt;sequence&gt;:&lt;hash&gt;</c>), so a log cut back later is caught against this snapshot; null when it could not be read.</summary>
    /// <exception cref="ArgumentException">Set to text that is not valid Unicode.</exception>
    public string? AuditHead
    {
        get => _auditHead;
        init => _auditHead = value is null ? null : Text(value, nameof(AuditHead));
    }

    /// <summary>
    /// For a backup of a ForgeOne store (<c>forge backup create --all</c>): the store, its region and each database's
    /// logical DNA; null for other backups. Written as <c>"store"</c> only when present, so other snapshots are unchanged.
    /// </summary>
    public StoreManifest? Store
    {
        get => _store;
        init => _store = value;
    }

    /// <summary>Serializes the snapshot as its stored JSON (without <see cref="Id"/>).</summary>
    /// <returns>Compact UTF-8 JSON, fields in the documented order.</returns>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            CanonicalJson.WriteTime(writer, "time", Time);
            CanonicalJson.WriteTime(writer, "endTime", EndTime);
            CanonicalJson.WriteString(writer, "host", Host);
            CanonicalJson.WriteString(writer, "user", User);
            WriteList(writer, "paths", Paths);
            WriteList(writer, "tags", Tags);
            WriteOptional(writer, "parent", Parent);
            writer.WriteString("tree", Tree);
            writer.WriteNumber("files", Files);
            writer.WriteNumber("directories", Directories);
            writer.WriteNumber("logicalBytes", LogicalBytes);
            writer.WriteNumber("addedBytes", AddedBytes);
            writer.WriteNumber("storedBytes", StoredBytes);
            WriteOptional(writer, "dnaHash", DnaHash);
            WriteList(writer, "warnings", Warnings);
            WriteOptional(writer, "auditHead", AuditHead);
            Store?.Write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a snapshot object's plaintext, checking every field.</summary>
    /// <param name="json">The UTF-8 JSON written by <see cref="ToJson"/>.</param>
    /// <param name="id">The object's name, which becomes <see cref="Id"/>.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not 64 lower-case hex digits.</exception>
    /// <exception cref="UnsupportedFormatException">Another version: a newer ForgeOne wrote it.</exception>
    /// <exception cref="MalformedObjectException">
    /// Not JSON, or a field missing, duplicated, of the wrong type or out of range.
    /// </exception>
    public static Snapshot FromJson(ReadOnlySpan<byte> json, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!CanonicalJson.IsHexId(id))
        {
            throw new ArgumentException("A snapshot id is 64 lower-case hex digits.", nameof(id));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), ReaderOptions);
        }
        catch (JsonException ex)
        {
            throw Malformed(id, "it is not valid JSON", ex);
        }

        using (document)
        {
            var fields = new JsonFields(document.RootElement, "", problem => Malformed(id, problem));
            var version = fields.RequireInt32("version");
            if (version != FormatVersion)
            {
                throw new UnsupportedFormatException(
                    ObjectKind.Snapshot, id, "snapshot version", version.ToString(CultureInfo.InvariantCulture),
                    FormatVersion.ToString(CultureInfo.InvariantCulture));
            }

            var host = fields.RequireString("host");
            var user = fields.RequireString("user");
            var paths = fields.RequireStringArray("paths");
            var tags = fields.RequireStringArray("tags");
            var warnings = fields.RequireStringArray("warnings");
            var auditHead = fields.OptionalString("auditHead");
            if (!new[] { host, user }.Concat(paths).Concat(tags).Concat(warnings).All(CanonicalJson.IsWellFormed)
                || (auditHead is not null && !CanonicalJson.IsWellFormed(auditHead)))
            {
                throw Malformed(id, "a text field is not valid Unicode");
            }

            return new Snapshot
            {
                Id = id,
                Time = fields.RequireTime("time"),
                EndTime = fields.RequireTime("endTime"),
                Host = host,
                User = user,
                Paths = paths,
                Tags = tags,
                Parent = fields.OptionalHexId("parent"),
                Tree = fields.RequireHexId("tree"),
                Files = fields.RequireNonNegative("files"),
                Directories = fields.RequireNonNegative("directories"),
                LogicalBytes = fields.RequireNonNegative("logicalBytes"),
                AddedBytes = fields.RequireNonNegative("addedBytes"),
                StoredBytes = fields.RequireNonNegative("storedBytes"),
                DnaHash = fields.OptionalHexId("dnaHash"),
                Warnings = warnings,
                AuditHead = auditHead,
                Store = fields.Optional("store") is { } store ? StoreManifest.Read(store, problem => Malformed(id, problem)) : null,
            };
        }
    }

    /// <summary>True when every field is equal, lists compared item by item.</summary>
    /// <param name="other">The snapshot to compare with.</param>
    /// <returns>Whether the snapshots are equal.</returns>
    public bool Equals(Snapshot? other) =>
        other is not null
        && Id == other.Id
        && Time == other.Time
        && EndTime == other.EndTime
        && Host == other.Host
        && User == other.User
        && Paths.SequenceEqual(other.Paths, StringComparer.Ordinal)
        && Tags.SequenceEqual(other.Tags, StringComparer.Ordinal)
        && Parent == other.Parent
        && Tree == other.Tree
        && Files == other.Files
        && Directories == other.Directories
        && LogicalBytes == other.LogicalBytes
        && AddedBytes == other.AddedBytes
        && StoredBytes == other.StoredBytes
        && DnaHash == other.DnaHash
        && Warnings.SequenceEqual(other.Warnings, StringComparer.Ordinal)
        && AuditHead == other.AuditHead
        && (Store is null ? other.Store is null : other.Store is not null && Store.StoreId == other.Store.StoreId
            && Store.Region == other.Store.Region && Store.Databases.SequenceEqual(other.Store.Databases));

    /// <summary>A hash code consistent with <see cref="Equals(Snapshot?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Id, Time, Host, Tree);

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            CanonicalJson.WriteStringValue(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        // Snapshots spell out their nulls (unlike tree nodes), as the format lists "parent" and "auditHead" as null.
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            CanonicalJson.WriteString(writer, name, value);
        }
    }

    private static string? OptionalHex(string? value, string name) =>
        value is null || CanonicalJson.IsHexId(value)
            ? value
            : throw new ArgumentException($"{name} must be 64 lower-case hex digits.", name);

    private static string Text(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return CanonicalJson.IsWellFormed(value) ? value : throw new ArgumentException($"{name} is not valid Unicode.", name);
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<string> TextList(IReadOnlyList<string> value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        var copy = value.ToArray();
        foreach (var item in copy)
        {
            if (item is null || !CanonicalJson.IsWellFormed(item))
            {
                throw new ArgumentException($"{name} holds null or text that is not valid Unicode.", name);
            }
        }

        return Array.AsReadOnly(copy);
    }

    private static long Count(long value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Counts and sizes are not negative.");

    private static MalformedObjectException Malformed(string id, string problem, Exception? innerException = null) =>
        new(ObjectKind.Snapshot, id, problem, innerException);
}
