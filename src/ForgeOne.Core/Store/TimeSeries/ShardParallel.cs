using System.Runtime.ExceptionServices;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>Runs one action per shard in parallel and rethrows a failure as itself, not wrapped.</summary>
internal static class ShardParallel
{
    /// <summary>Runs <paramref name="action"/> for 0 to <paramref name="count"/> − 1, at most a processor's worth at once.</summary>
    /// <param name="count">How many shards.</param>
    /// <param name="action">The work of one shard.</param>
    /// <remarks>
    /// Callers document the store's own exceptions (<see cref="RecordIntegrityException"/>, SQLite errors); an
    /// <see cref="AggregateException"/> would hide them from a caller's catch and from the cmdlets' error map, so the
    /// first failure is rethrown with its own stack.
    /// </remarks>
    public static void For(int count, Action<int> action)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, action);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
