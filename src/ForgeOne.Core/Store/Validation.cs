using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ForgeOne.Core.Store;

/// <summary>The input rules the store enforces on every record before anything is written (docs/store.md, "Ingestion").</summary>
public static partial class Validation
{
    /// <summary>Longest topic name: 128 characters.</summary>
    public const int MaxTopicLength = 128;

    /// <summary>Largest message or event payload: 64 KiB of UTF-8.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Most metadata fields per record: 64.</summary>
    public const int MaxMetadataFields = 64;

    /// <summary>Longest metadata value: 4096 characters.</summary>
    public const int MaxMetadataValueLength = 4096;

    /// <summary>Longest data-subject id: 256 characters.</summary>
    public const int MaxSubjectLength = 256;

    /// <summary>How far in the future a timestamp may be: one day, for clock skew.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    /// <summary>The earliest timestamp accepted: 2000-01-01.</summary>
    public static readonly DateTimeOffset MinTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Checks a topic name: 1 to 128 of letters, digits and <c>. _ - / :</c>, starting with a letter or digit.</summary>
    /// <param name="topic">The name.</param>
    /// <returns>The name.</returns>
    /// <exception cref="StoreValidationException">It breaks the rule.</exception>
    public static string Topic(string? topic) =>
        topic is not null && TopicPattern().IsMatch(topic)
            ? topic
            : throw new StoreValidationException("Topic", string.IsNullOrEmpty(topic)
                ? "a topic is required, for example 'app/auth'."
                : $"'{Shorten(topic)}' is not a topic name. Use 1 to {MaxTopicLength} letters, digits and . _ - / :, starting with a letter or digit.");

    /// <summary>Checks a message or payload: present and at most 64 KiB of UTF-8.</summary>
    /// <param name="field">The field's name for the message.</param>
    /// <param name="text">The text.</param>
    /// <returns>The text.</returns>
    /// <exception cref="StoreValidationException">It is missing or too large.</exception>
    public static string Text(string field, string? text)
    {
        if (text is null)
        {
            throw new StoreValidationException(field, $"a {field.ToLowerInvariant()} is required.");
        }

        // UTF-8 takes at most 3 bytes per UTF-16 code unit, so most texts need no counting.
        if (text.Length * 3L <= MaxMessageBytes)
        {
            return text;
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes <= MaxMessageBytes
            ? text
            : throw new StoreValidationException(field, string.Create(CultureInfo.InvariantCulture,
                $"{bytes} bytes is over the {MaxMessageBytes}-byte limit. Store large content with Add-ForgeBlob and put the blob's name in the {field.ToLowerInvariant()}."));
    }

    /// <summary>Checks a timestamp: from 2000-01-01 to one day ahead of now; returns it in UTC, to the microsecond.</summary>
    /// <param name="timestamp">The time.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The normalized time.</returns>
    /// <exception cref="StoreValidationException">It is out of range.</exception>
    public static DateTimeOffset Timestamp(DateTimeOffset timestamp, DateTimeOffset now)
    {
        if (timestamp < MinTimestamp || timestamp > now + MaxFutureSkew)
        {
            throw new StoreValidationException("Timestamp", string.Create(CultureInfo.InvariantCulture,
                $"{timestamp:O} is out of range. Timestamps run from {MinTimestamp:yyyy-MM-dd} to one day ahead of now ({now:O}); check the sender's clock and time zone."));
        }

        var utc = timestamp.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>Checks a metadata map: at most 64 fields, keys of 1 to 64 letters, digits and <c>. _ -</c>, values up to 4096 characters.</summary>
    /// <param name="metadata">The map; null is empty.</param>
    /// <exception cref="StoreValidationException">It breaks a rule.</exception>
    public static void Metadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > MaxMetadataFields)
        {
            throw new StoreValidationException("Metadata", string.Create(CultureInfo.InvariantCulture,
                $"{metadata.Count} fields is over the limit of {MaxMetadataFields}."));
        }

        foreach (var (key, value) in metadata)
        {
            if (!MetadataKeyPattern().IsMatch(key))
            {
                throw new StoreValidationException("Metadata", $"'{Shorten(key)}' is not a field name. Use 1 to 64 letters, digits and . _ -.");
            }

            if (value is null || value.Length > MaxMetadataValueLength)
            {
                throw new StoreValidationException("Metadata", string.Create(CultureInfo.InvariantCulture,
                    $"field '{key}' must have a value of at most {MaxMetadataValueLength} characters."));
            }
        }
    }

    /// <summary>Checks the subject and the names of sensitive fields, which must be metadata fields.</summary>
    /// <param name="subject">The data subject, or null.</param>
    /// <param name="sensitive">Names of sensitive metadata fields.</param>
    /// <param name="metadata">The record's metadata.</param>
    /// <exception cref="StoreValidationException">A rule is broken.</exception>
    public static void Subject(string? subject, IReadOnlyCollection<string>? sensitive, IReadOnlyDictionary<string, string>? metadata)
    {
        if (subject is not null && (subject.Length == 0 || subject.Length > MaxSubjectLength))
        {
            throw new StoreValidationException("Subject", string.Create(CultureInfo.InvariantCulture,
                $"a data-subject id has 1 to {MaxSubjectLength} characters."));
        }

        if (sensitive is null || sensitive.Count == 0)
        {
            return;
        }

        if (subject is null)
        {
            throw new StoreValidationException("SensitiveFields",
                "sensitive fields are sealed under their data subject's key, so a record with sensitive fields needs a Subject.");
        }

        foreach (var name in sensitive)
        {
            if (metadata is null || !metadata.ContainsKey(name))
            {
                throw new StoreValidationException("SensitiveFields", $"'{Shorten(name)}' is not one of the record's metadata fields.");
            }
        }
    }

    /// <summary>Longest blob name: 1024 characters.</summary>
    public const int MaxBlobNameLength = 1024;

    /// <summary>Longest consumer name, content type or creator: 256 characters.</summary>
    public const int MaxLabelLength = 256;

    /// <summary>Checks a blob name: 1 to 1024 characters, no control characters, no leading or trailing white space.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The name.</returns>
    /// <exception cref="StoreValidationException">It breaks the rule.</exception>
    public static string BlobName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new StoreValidationException("Name", "a blob name is required, for example 'reports/2026-11.pdf'.");
        }

        if (name.Length > MaxBlobNameLength || name.Any(char.IsControl) || char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            throw new StoreValidationException("Name", string.Create(CultureInfo.InvariantCulture,
                $"'{Shorten(name)}' is not a blob name. Use 1 to {MaxBlobNameLength} characters without control characters or white space at either end."));
        }

        return name;
    }

    /// <summary>Checks a consumer name: the same rule as a topic name.</summary>
    /// <param name="consumer">The name.</param>
    /// <returns>The name.</returns>
    /// <exception cref="StoreValidationException">It breaks the rule.</exception>
    public static string Consumer(string? consumer) =>
        consumer is not null && TopicPattern().IsMatch(consumer)
            ? consumer
            : throw new StoreValidationException("Consumer", string.IsNullOrEmpty(consumer)
                ? "a consumer name is required, for example 'billing-exporter'."
                : $"'{Shorten(consumer)}' is not a consumer name. Use 1 to {MaxTopicLength} letters, digits and . _ - / :, starting with a letter or digit.");

    /// <summary>Checks a short label (content type, creator): at most 256 characters and no control characters.</summary>
    /// <param name="field">The field's name for the message.</param>
    /// <param name="text">The text; null passes.</param>
    /// <returns>The text.</returns>
    /// <exception cref="StoreValidationException">It breaks the rule.</exception>
    public static string? Label(string field, string? text) =>
        text is null || (text.Length <= MaxLabelLength && !text.Any(char.IsControl))
            ? text
            : throw new StoreValidationException(field, string.Create(CultureInfo.InvariantCulture,
                $"'{Shorten(text)}' is not accepted. Use at most {MaxLabelLength} characters without control characters."));

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/:-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataKeyPattern();
}
