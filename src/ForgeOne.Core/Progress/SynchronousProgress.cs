namespace ForgeOne.Core.Progress;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread, unlike
/// <see cref="Progress{T}"/>, which posts to a synchronization context and may reorder or delay reports.
/// </summary>
/// <typeparam name="T">The report type.</typeparam>
/// <param name="handler">Called with each report.</param>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <summary>Calls the handler.</summary>
    /// <param name="value">The report.</param>
    public void Report(T value) => handler(value);
}
