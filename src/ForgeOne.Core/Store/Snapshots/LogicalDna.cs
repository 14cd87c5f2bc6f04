using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Snapshots;

/// <summary>
/// The logical DNA of a store database: the BLAKE3 of its decrypted content in canonical order, so it does not
/// change with page layout, vacuuming, compression dictionaries or key rotation, only with the data itself.
/// </summary>
/// <remarks>
/// <para>The hashed stream (docs/store.md, "Logical DNA"): the line <c>ForgeOne logical DNA v1\n</c>, then each
/// covered table in ordinal name order as <c>'T' || name</c>, then each of its rows in key order as <c>'R'</c> and
/// its fields. A field is a type byte (<c>i</c> integer as 8 bytes big-endian, <c>s</c> UTF-8 text, <c>b</c> blob,
/// <c>n</c> null) and, except for null, a varint length and the bytes. Sealed tables contribute their key columns
/// and the opened plaintext; their <c>epoch</c> (and <c>chunks.refs</c>) are left out.</para>
/// <para>Covered: every sealed table except <c>dictionaries</c>, the plain index tables, <c>shard_info</c>, and in
/// system.redb the <c>metadata</c> rows other than key material (<c>keyslot.*</c>, <c>epoch.*</c>) and rotation progress.
/// Left out: <c>sessions</c> and <c>dictionaries</c>, which describe how values are sealed, not what they hold.</para>
/// </remarks>
public static class LogicalDna
{
    private static readonly string[] KeyMaterialPrefixes = ["keyslot.", "epoch.", "rotation"];

    /// <summary>Computes the DNA of the database <paramref name="shard"/> is connected to.</summary>
    /// <param name="shard">An open database of the store.</param>
    /// <param name="cancellationToken">Stops between rows.</param>
    /// <returns>64 lowercase hex digits.</returns>
    /// <exception cref="RecordIntegrityException">A record does not open.</exception>
    public static string Compute(StoreShard shard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shard);
        using var hasher = Blake3Hasher.Create();
        var field = new RecordWriter();
        hasher.Update("ForgeOne logical DNA v1\n"u8);

        var kind = shard.Database.Kind;
        var sections = new List<(string Table, Action Hash)>
        {
            ("shard_info", () => HashPlain(shard.Connection, "shard_info", "key", hasher, field, null, cancellationToken)),
        };
        if (kind == StoreDatabaseKind.System)
        {
            sections.Add(("metadata", () => HashPlain(shard.Connection, "metadata", "key", hasher, field, IsKeyMaterial, cancellationToken)));
        }

        foreach (var (table, orderBy) in StoreSchema.PlainTables(kind))
        {
            sections.Add((table, () => HashPlain(shard.Connection, table, orderBy, hasher, field, null, cancellationToken)));
        }

        foreach (var (table, keyColumns) in StoreSchema.SealedTables(kind).Where(sealedTable => sealedTable.Table != "dictionaries"))
        {
            sections.Add((table, () => HashSealed(shard, table, keyColumns, hasher, field, cancellationToken)));
        }

        foreach (var (table, hash) in sections.OrderBy(section => section.Table, StringComparer.Ordinal))
        {
            field.Reset();
            field.WriteByte((byte)'T');
            field.WriteString(table);
            hasher.Update(field.WrittenSpan);
            hash();
        }

        return hasher.FinalizeHex();
    }

    private static bool IsKeyMaterial(SqliteDataReader row) =>
        KeyMaterialPrefixes.Any(prefix => row.GetString(0).StartsWith(prefix, StringComparison.Ordinal));

    private static void HashPlain(SqliteConnection connection, string table, string orderBy, Blake3Hasher hasher, RecordWriter field,
        Func<SqliteDataReader, bool>? skip, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} ORDER BY {orderBy}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (skip?.Invoke(reader) == true)
            {
                continue;
            }

            field.Reset();
            field.WriteByte((byte)'R');
            for (var column = 0; column < reader.FieldCount; column++)
            {
                WriteField(field, reader.GetValue(column));
            }

            hasher.Update(field.WrittenSpan);
        }
    }

    private static void HashSealed(StoreShard shard, string table, string keyColumns, Blake3Hasher hasher, RecordWriter field, CancellationToken cancellationToken)
    {
        var keyCount = keyColumns.Split(',').Length;
        using var command = shard.Connection.CreateCommand();
        command.CommandText = $"SELECT {keyColumns}, value FROM {table} ORDER BY {keyColumns}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = RecordKey.FromRow(reader, keyCount);
            var plaintext = reader.GetValue(keyCount) is byte[] value
                ? shard.Cipher.Open(table, key, value)
                : throw new RecordIntegrityException(shard.Database.FileName, table, ObjectNames.ToHex(key), "its value is not a sealed blob");
            field.Reset();
            field.WriteByte((byte)'R');
            for (var column = 0; column < keyCount; column++)
            {
                WriteField(field, reader.GetValue(column));
            }

            WriteField(field, plaintext);
            hasher.Update(field.WrittenSpan);
        }
    }

    private static void WriteField(RecordWriter field, object value)
    {
        switch (value)
        {
            case long integer:
                field.WriteByte((byte)'i');
                field.WriteBytes(RecordFormat.Key(integer));
                break;
            case string text:
                field.WriteByte((byte)'s');
                field.WriteBytes(Encoding.UTF8.GetBytes(text));
                break;
            case byte[] blob:
                field.WriteByte((byte)'b');
                field.WriteBytes(blob);
                break;
            case DBNull:
                field.WriteByte((byte)'n');
                break;
            case double real:
                field.WriteByte((byte)'f');
                field.WriteFixed64(BitConverter.DoubleToInt64Bits(real));
                break;
            default:
                throw new InvalidDataException($"A column holds {value.GetType().Name}, which logical DNA does not cover.");
        }
    }
}
