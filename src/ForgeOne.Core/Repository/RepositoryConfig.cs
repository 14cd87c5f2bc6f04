using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ForgeOne.Core.Chunking;
using ForgeOne.Core.Compression;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// The repository's fixed settings, stored (sealed) as the <c>config</c> object: format version, id, creation time,
/// chunk sizes, target pack size and zstd level.
/// </summary>
/// <remarks>
/// <para>JSON, UTF-8, camelCase (docs/design.md, "Repository format"):</para>
/// <code>
/// {"version":1,"id":"&lt;64 hex&gt;","created":"2026-11-24T10:00:00Z",
///  "chunker":{"minimumSize":524288,"averageSize":1048576,"maximumSize":8388608},
///  "packSize":16777216,"compressionLevel":3}
/// </code>
/// <para>The chunk sizes (with the secret gear table) decide every chunk boundary, so they never change for a
/// repository. Readers check <c>version</c> first (<see cref="UnsupportedFormatException"/> for anything but 1), then
/// every field (<see cref="MalformedObjectException"/>); unknown extra fields are ignored. Instances are immutable and
/// thread-safe.</para>
/// </remarks>
public sealed record RepositoryConfig
{
    /// <summary>The only repository format version this build reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Default target pack size: 16 MiB.</summary>
    public const int DefaultPackSize = 16 * 1024 * 1024;

    /// <summary>Smallest allowed target pack size: 64 KiB.</summary>
    public const int MinimumPackSize = 64 * 1024;

    /// <summary>
    /// Largest allowed target pack size: 1 GiB. With one maximum-size chunk over it, a pack stays below 4 GiB, the
    /// limit of the 32-bit offsets in index files.
    /// </summary>
    public const int MaximumPackSize = 1024 * 1024 * 1024;

    /// <summary>Largest config document accepted, in bytes; real ones are about 250 bytes.</summary>
    public const int MaxJsonLength = 64 * 1024;

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>Creates a validated config.</summary>
    /// <param name="id">64 lower-case hex digits (32 random bytes).</param>
    /// <param name="created">When the repository was created; stored in UTC to the second.</param>
    /// <param name="chunker">The chunk sizes.</param>
    /// <param name="packSize">Target pack size in bytes, <see cref="MinimumPackSize"/> to <see cref="MaximumPackSize"/>.</param>
    /// <param name="compressionLevel">zstd level, 1 to 19.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not 64 lower-case hex digits.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="chunker"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="packSize"/> or <paramref name="compressionLevel"/>
    /// is out of range.</exception>
    public RepositoryConfig(string id, DateTimeOffset created, ChunkerOptions chunker, int packSize, int compressionLevel)
    {
        if (!HexId.IsCanonical(id))
        {
            throw new ArgumentException($"A repository id is {HexId.HexLength} lower-case hex digits, not '{id}'.", nameof(id));
        }

        ArgumentNullException.ThrowIfNull(chunker);
        ArgumentOutOfRangeException.ThrowIfLessThan(packSize, MinimumPackSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packSize, MaximumPackSize);
        ChunkCompressor.ThrowIfLevelOutOfRange(compressionLevel, nameof(compressionLevel));
        Id = id;
        var utc = created.ToUniversalTime();
        Created = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        Chunker = chunker;
        PackSize = packSize;
        CompressionLevel = compressionLevel;
    }

    /// <summary>The format version: always <see cref="FormatVersion"/>.</summary>
    public int Version { get; } = FormatVersion;

    /// <summary>The repository's random id, 64 lower-case hex digits.</summary>
    public string Id { get; }

    /// <summary>When the repository was created, UTC, to the second.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>The chunk sizes, fixed for the life of the repository.</summary>
    public ChunkerOptions Chunker { get; }

    /// <summary>Target pack size in bytes: a pack holds at most this many bytes of blobs plus one blob that crosses it.</summary>
    public int PackSize { get; }

    /// <summary>The zstd level blobs and objects are compressed with (1 to 19).</summary>
    public int CompressionLevel { get; }

    /// <summary>Creates the config of a new repository: a random id, now, and the options' sizes.</summary>
    /// <param name="options">Chunk sizes, pack size and level; null for the defaults.</param>
    /// <returns>The new config.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static RepositoryConfig CreateNew(RepositoryInitOptions? options = null)
    {
        options ??= new RepositoryInitOptions();
        var id = ObjectNames.ToHex(RandomNumberGenerator.GetBytes(32));
        return new RepositoryConfig(
            id, DateTimeOffset.UtcNow, options.Chunker ?? ChunkerOptions.Default, options.PackSize, options.CompressionLevel);
    }

    /// <summary>Serialises the config as UTF-8 JSON (the plaintext of the <c>config</c> object).</summary>
    /// <returns>The JSON document.</returns>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("id", Id);
            writer.WriteString("created", Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteStartObject("chunker");
            writer.WriteNumber("minimumSize", Chunker.MinimumSize);
            writer.WriteNumber("averageSize", Chunker.AverageSize);
            writer.WriteNumber("maximumSize", Chunker.MaximumSize);
            writer.WriteEndObject();
            writer.WriteNumber("packSize", PackSize);
            writer.WriteNumber("compressionLevel", CompressionLevel);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses and validates a config document.</summary>
    /// <param name="json">The UTF-8 JSON, as opened from the <c>config</c> object.</param>
    /// <returns>The config.</returns>
    /// <exception cref="UnsupportedFormatException"><c>version</c> is not 1.</exception>
    /// <exception cref="MalformedObjectException">The document is not JSON, lacks a field, or has a value out of range.</exception>
    public static RepositoryConfig Parse(ReadOnlySpan<byte> json)
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
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("it is not a JSON object");
            }

            // Version first: another version may have other fields.
            var version = GetInt(root, "version");
            if (version != FormatVersion)
            {
                throw new UnsupportedFormatException(ObjectKind.Config, null, "repository format version",
                    version.ToString(CultureInfo.InvariantCulture), "1");
            }

            var id = GetString(root, "id");
            if (!HexId.IsCanonical(id))
            {
                throw Malformed("'id' is not 64 lower-case hex digits");
            }

            if (!root.TryGetProperty("created", out var createdElement) || createdElement.ValueKind != JsonValueKind.String
                || !createdElement.TryGetDateTimeOffset(out var created))
            {
                throw Malformed("'created' is missing or not an ISO-8601 time");
            }

            if (!root.TryGetProperty("chunker", out var chunkerElement) || chunkerElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("'chunker' is missing or not an object");
            }

            ChunkerOptions chunker;
            try
            {
                chunker = new ChunkerOptions(
                    GetInt(chunkerElement, "minimumSize"), GetInt(chunkerElement, "averageSize"), GetInt(chunkerElement, "maximumSize"));
            }
            catch (ArgumentException ex)
            {
                throw Malformed("its chunk sizes are out of range", ex);
            }

            var packSize = GetInt(root, "packSize");
            if (packSize is < MinimumPackSize or > MaximumPackSize)
            {
                throw Malformed($"'packSize' {packSize} is outside {MinimumPackSize} to {MaximumPackSize}");
            }

            var level = GetInt(root, "compressionLevel");
            if (level is < ChunkCompressor.MinimumLevel or > ChunkCompressor.MaximumLevel)
            {
                throw Malformed($"'compressionLevel' {level} is outside {ChunkCompressor.MinimumLevel} to {ChunkCompressor.MaximumLevel}");
            }

            return new RepositoryConfig(id, created, chunker, packSize, level);
        }
    }

    private static int GetInt(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt32(out var number))
        {
            throw Malformed($"'{name}' is missing or not a 32-bit integer");
        }

        return number;
    }

    private static string GetString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"'{name}' is missing or not a string");
        }

        return value.GetString()!;
    }

    private static MalformedObjectException Malformed(string problem, Exception? innerException = null) =>
        new(ObjectKind.Config, null, problem, innerException);
}
