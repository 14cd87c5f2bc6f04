using System.Text;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Records;

/// <summary>
/// The key bytes a sealed value is bound to, made from its row's key columns in order: an integer as 8 bytes
/// big-endian, text as UTF-8, a blob as is. The one rule every writer, reader, rotation and DNA follow.
/// </summary>
public static class RecordKey
{
    /// <summary>Builds the key bytes from the first <paramref name="columns"/> columns of the current row.</summary>
    /// <param name="reader">A reader positioned on a row whose first columns are the key columns.</param>
    /// <param name="columns">How many key columns there are.</param>
    /// <returns>The key bytes.</returns>
    public static byte[] FromRow(SqliteDataReader reader, int columns)
    {
        var values = new object[columns];
        for (var column = 0; column < columns; column++)
        {
            values[column] = reader.GetValue(column);
        }

        return FromValues(values);
    }

    /// <summary>Builds the key bytes from a row's key column values, in order.</summary>
    /// <param name="values">Integers, text or blobs.</param>
    /// <returns>The key bytes.</returns>
    /// <exception cref="ArgumentException">A value is of another type.</exception>
    public static byte[] FromValues(IReadOnlyList<object> values) =>
        values.Count == 1 ? FromValue(values[0]) : [.. values.SelectMany(FromValue)];

    /// <summary>The key bytes of one column value.</summary>
    /// <param name="value">An integer, text or blob.</param>
    /// <returns>The key bytes.</returns>
    /// <exception cref="ArgumentException">The value is of another type.</exception>
    public static byte[] FromValue(object value) => value switch
    {
        long integer => RecordFormat.Key(integer),
        string text => Encoding.UTF8.GetBytes(text),
        byte[] blob => blob,
        _ => throw new ArgumentException($"A record key column holds {value.GetType().Name}; keys are integers, text or blobs.", nameof(value)),
    };
}
