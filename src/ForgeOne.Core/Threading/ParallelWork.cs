using System.Runtime.ExceptionServices;

namespace ForgeOne.Core.Threading;

/// <summary>Runs independent pieces of work in parallel and rethrows a failure as itself, not wrapped.</summary>
internal static class ParallelWork
{
    /// <summary>Runs <paramref name="action"/> for 0 to <paramref name="count"/> − 1, at most a processor's worth at once.</summary>
    /// <param name="count">How many pieces (shards of the store, files of a folder).</param>
    /// <param name="action">The work of one piece.</param>
    /// <param name="cancellationToken">Stops starting new pieces; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <remarks>
    /// Callers document their own exceptions (the store's <c>RecordIntegrityException</c> and SQLite errors, a file's
    /// <see cref="IOException"/>); an <see cref="AggregateException"/> would hide them from a caller's catch and from the
    /// cmdlets' error map, so the first failure is rethrown with its own stack.
    /// </remarks>
    public static void For(int count, Action<int> action, CancellationToken cancellationToken = default)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, action);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
