using System.Text;
using System.Text.Json;

namespace ForgeOne.Cli;

/// <summary>
/// Writes a page of records as <c>{"items": [...], "continuationToken": ...}</c>, streamed in 1 MiB pieces so a query of
/// every record never holds them all in memory.
/// </summary>
internal static class JsonPage
{
    private const int FlushBytes = 1 << 20;

    /// <param name="output">Where to write.</param>
    /// <param name="items">The records, read once as they are written.</param>
    /// <param name="continuation">Asked after the last item, since a page's token is known only when it has been read.</param>
    /// <param name="cancellationToken">Stops between items.</param>
    internal static async Task WriteAsync<T>(TextWriter output, IEnumerable<T> items, Func<string?> continuation, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WritePropertyName("items");
            json.WriteStartArray();
            foreach (var item in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                JsonSerializer.Serialize(json, item, Json.Options);
                if (json.BytesPending + buffer.Length > FlushBytes)
                {
                    await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await output.WriteAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
                    buffer.SetLength(0);
                }
            }

            json.WriteEndArray();
            json.WriteString("continuationToken", continuation());
            json.WriteEndObject();
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
    }
}
