using System.Security.Cryptography;
using System.Text;
using ForgeOne.Core.Store.Keys;

namespace ForgeOne.Core.Store.Records;

/// <summary>
/// The part of a record sealed under its data subject's key: the subject id and the metadata fields marked
/// sensitive. Written inside the record as <c>hasSubject:u8 || [tag:bytes || sealed:bytes]</c>, where
/// <c>sealed = nonce[12] || AES-256-GCM(subjectKey, subject || sensitiveMap) || tag[16]</c> with associated data
/// <c>"FGS1" || table || 0 || recordKey</c>.
/// </summary>
public static class SubjectFields
{
    /// <summary>Writes the subject part of a record.</summary>
    /// <param name="writer">The record being written.</param>
    /// <param name="vault">The subject vault; its key for <paramref name="subject"/> is created if needed.</param>
    /// <param name="table">The record's table.</param>
    /// <param name="recordKey">The record's key bytes.</param>
    /// <param name="subject">The data subject, or null for none.</param>
    /// <param name="sensitive">The sensitive metadata fields (sealed with the subject).</param>
    public static void Write(RecordWriter writer, SubjectVault vault, string table, ReadOnlySpan<byte> recordKey, string? subject, IReadOnlyDictionary<string, string>? sensitive)
    {
        if (string.IsNullOrEmpty(subject))
        {
            writer.WriteByte(0);
            return;
        }

        var inner = new RecordWriter();
        inner.WriteString(subject);
        inner.WriteMap(sensitive);
        var plaintext = inner.WrittenSpan;
        var key = vault.GetOrCreateKey(subject);
        var sealedFields = new byte[12 + plaintext.Length + 16];
        RandomNumberGenerator.Fill(sealedFields.AsSpan(0, 12));
        using (var aes = new AesGcm(key, 16))
        {
            aes.Encrypt(sealedFields.AsSpan(0, 12), plaintext, sealedFields.AsSpan(12, plaintext.Length), sealedFields.AsSpan(12 + plaintext.Length), Aad(table, recordKey));
        }

        writer.WriteByte(1);
        writer.WriteBytes(vault.Tag(subject));
        writer.WriteBytes(sealedFields);
    }

    /// <summary>Reads the subject part of a record.</summary>
    /// <param name="reader">The record being read.</param>
    /// <param name="vault">The subject vault.</param>
    /// <param name="table">The record's table.</param>
    /// <param name="recordKey">The record's key bytes.</param>
    /// <returns>The subject and sensitive fields; <c>Erased</c> when the record has a subject whose key is gone.</returns>
    /// <exception cref="InvalidDataException">The sealed fields fail authentication.</exception>
    public static (string? Subject, IReadOnlyDictionary<string, string>? Sensitive, bool Erased) Read(ref RecordReader reader, SubjectVault vault, string table, scoped ReadOnlySpan<byte> recordKey)
    {
        if (reader.ReadByte() == 0)
        {
            return (null, null, false);
        }

        var tag = reader.ReadBytes();
        var sealedFields = reader.ReadBytes();
        var key = vault.TryGetKey(tag);
        if (key is null)
        {
            return (null, null, true);
        }

        if (sealedFields.Length < 28)
        {
            throw new InvalidDataException("The subject fields are cut short.");
        }

        var plaintext = new byte[sealedFields.Length - 28];
        try
        {
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(sealedFields.AsSpan(0, 12), sealedFields.AsSpan(12, plaintext.Length), sealedFields.AsSpan(12 + plaintext.Length), plaintext, Aad(table, recordKey));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new InvalidDataException("The subject fields failed authentication.", ex);
        }

        var inner = new RecordReader(plaintext);
        var subject = inner.ReadString();
        return (subject, inner.ReadMap(), false);
    }

    /// <summary>
    /// Writes a record's metadata map without its sensitive fields, then the subject part that holds them: the
    /// layout every record type with metadata ends with.
    /// </summary>
    /// <param name="writer">The record being written.</param>
    /// <param name="vault">The subject vault.</param>
    /// <param name="table">The record's table.</param>
    /// <param name="recordKey">The record's key bytes.</param>
    /// <param name="metadata">All the record's metadata fields.</param>
    /// <param name="subject">The data subject, or null.</param>
    /// <param name="sensitiveFields">Names of the metadata fields sealed with the subject.</param>
    public static void WriteMetadata(RecordWriter writer, SubjectVault vault, string table, ReadOnlySpan<byte> recordKey,
        IReadOnlyDictionary<string, string> metadata, string? subject, IReadOnlyList<string> sensitiveFields)
    {
        var sensitive = sensitiveFields.Count == 0 ? null : sensitiveFields.ToHashSet(StringComparer.Ordinal);
        writer.WriteMap(sensitive is null ? metadata : metadata.Where(pair => !sensitive.Contains(pair.Key)).ToDictionary());
        Write(writer, vault, table, recordKey, subject,
            sensitive is null ? null : metadata.Where(pair => sensitive.Contains(pair.Key)).ToDictionary());
    }

    /// <summary>Reads what <see cref="WriteMetadata"/> wrote, with the sensitive fields merged back when the subject's key exists.</summary>
    /// <param name="reader">The record being read.</param>
    /// <param name="vault">The subject vault.</param>
    /// <param name="table">The record's table.</param>
    /// <param name="recordKey">The record's key bytes.</param>
    /// <returns>All readable metadata, the subject, the sensitive field names (ordinal order), and whether the subject was erased.</returns>
    /// <exception cref="InvalidDataException">The record is malformed or its subject fields fail authentication.</exception>
    public static (Dictionary<string, string> Metadata, string? Subject, IReadOnlyList<string> SensitiveFields, bool Erased) ReadMetadata(
        ref RecordReader reader, SubjectVault vault, string table, scoped ReadOnlySpan<byte> recordKey)
    {
        var metadata = reader.ReadMap();
        var (subject, sensitive, erased) = Read(ref reader, vault, table, recordKey);
        if (sensitive is null)
        {
            return (metadata, subject, [], erased);
        }

        foreach (var (key, value) in sensitive)
        {
            metadata[key] = value;
        }

        return (metadata, subject, [.. sensitive.Keys.Order(StringComparer.Ordinal)], erased);
    }

    private static byte[] Aad(string table, ReadOnlySpan<byte> recordKey)
    {
        var tableBytes = Encoding.ASCII.GetBytes(table);
        var aad = new byte[4 + tableBytes.Length + 1 + recordKey.Length];
        "FGS1"u8.CopyTo(aad);
        tableBytes.CopyTo(aad, 4);
        recordKey.CopyTo(aad.AsSpan(5 + tableBytes.Length));
        return aad;
    }
}
