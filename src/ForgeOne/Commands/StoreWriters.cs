using ForgeOne.Core.Store;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Commands;

/// <summary>
/// The batching writers of one pipeline that writes time-series records (Write-ForgeLog, Send-ForgeEvent): one per
/// store the pipeline names, kept until the pipeline ends and then flushed.
/// </summary>
/// <remarks>A cmdlet holds one as a field; <see cref="ForgeStoreCmdlet"/> adds records through it and flushes it, so the
/// two cmdlets share their pipeline handling without a generic base class (which breaks Import-Module).</remarks>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class StoreWriters<T> : IDisposable
    where T : class
{
    private readonly Dictionary<string, TimeSeriesWriter<T>> _writers = new(StringComparer.Ordinal);
    private readonly Func<ForgeStore, TimeSeriesWriter<T>> _open;

    /// <summary>Creates an empty set.</summary>
    /// <param name="open">Opens a store's writer of this record kind, for example <c>store =&gt; store.Logs.OpenWriter()</c>.</param>
    public StoreWriters(Func<ForgeStore, TimeSeriesWriter<T>> open) => _open = open;

    /// <summary>The store folders and their writers, in the order they were opened.</summary>
    public IEnumerable<KeyValuePair<string, TimeSeriesWriter<T>>> All => _writers;

    /// <summary>The writer of <paramref name="store"/>, opened on first use.</summary>
    /// <param name="store">An open store.</param>
    /// <returns>Its writer.</returns>
    public TimeSeriesWriter<T> For(ForgeStore store)
    {
        if (!_writers.TryGetValue(store.Path, out var writer))
        {
            writer = _open(store);
            _writers[store.Path] = writer;
        }

        return writer;
    }

    /// <summary>Closes the writers, dropping what they have not flushed; they hold connections to the stores, so this comes first.</summary>
    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }

        _writers.Clear();
    }
}
