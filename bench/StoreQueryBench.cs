using System.Globalization;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Bench;

/// <summary>
/// The store benchmark's query alone, repeated against a store the store benchmark kept, for profiling the read path
/// (for example under <c>dotnet-trace</c>) without its ingest.
/// Usage: <c>dotnet run -c Release --project bench -- storequery FOLDER [runs]</c>, where FOLDER is what
/// <c>store 1000000 4096 7 FOLDER --keep</c> left (default 200 runs). Prints the median wall and CPU time.
/// </summary>
public static class StoreQueryBench
{
    /// <summary>Runs the query and prints its median times.</summary>
    public static int Run(string[] args)
    {
        if (args.Length < 1 || !Directory.Exists(Path.Combine(args[0], "store")))
        {
            Console.Error.WriteLine("storequery: pass the folder a 'store ... --keep' run left (it holds store/).");
            return 2;
        }

        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        using var credentials = RepositoryCredentials.FromPassphrase(StoreBench.Passphrase);
        using var store = ForgeStore.Open(Path.Combine(args[0], "store"), credentials);
        var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes();
        var (page, first, median, cpu) = StoreBench.Time(runs, () => StoreBench.QueryForge(store));
        var queries = runs + StoreBench.WarmUpQueries + 1;
        Console.WriteLine($"{page.Count:N0} entries; first {first.TotalMilliseconds:F1} ms, median of {runs} {median.TotalMilliseconds:F1} ms wall, {cpu.TotalMilliseconds:F1} ms CPU");
        Console.WriteLine($"per query: {(GC.GetTotalAllocatedBytes() - allocated) / queries / 1048576.0:F1} MiB allocated; collections over all {queries} queries: "
            + $"gen0 {GC.CollectionCount(0) - collections.Item1}, gen1 {GC.CollectionCount(1) - collections.Item2}, gen2 {GC.CollectionCount(2) - collections.Item3}");
        return 0;
    }
}
