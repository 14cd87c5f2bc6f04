using System.Diagnostics;
using System.Globalization;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Store.Sqlite;

namespace ForgeOne.Bench;

/// <summary>
/// Log ingest, query and size of a ForgeOne store against plain SQLite holding the same rows unencrypted and
/// uncompressed, in one run (docs/performance.md, "Store").
/// Usage: <c>dotnet run -c Release --project bench -- store [entries] [batch] [queryRuns] [folder] [--forge-only]</c>
/// (defaults 1,000,000 entries, batches of 4096, median of 7 warm queries, a fresh folder under /tmp).
/// </summary>
/// <remarks>
/// <para>Both sides get the same entries (<see cref="StoreLogGenerator"/>, seed 20260302), drawn a batch at a time
/// outside the timed part, and take them a batch per transaction. ForgeOne ingests through
/// <c>store.Logs.OpenWriter(batch, returnWritten: false)</c> into the default 4 log shards (store creation and Argon2 are not timed);
/// SQLite through one prepared insert. Ingest time ends when the last batch has committed; closing, which makes
/// SQLite checkpoint its WAL, is not timed on either side.</para>
/// <para>Size is every file of the store folder (all databases, including the empty blob and event shards) and
/// of the SQLite file with its -wal and -shm, after a <c>wal_checkpoint(TRUNCATE)</c>.</para>
/// <para>The query is one topic over a time range holding more than 10,000 entries, returning the first 10,000
/// in timestamp order as full entries (metadata parsed, content hash as hex on both sides): ForgeOne through
/// <c>store.Logs.ReadPage</c> with <c>PageSize = 10000</c>, which opens its shard connections each call, as an
/// application would. Five warm-up queries, then the median of the runs.</para>
/// <para>Peak RSS is the process's high-water mark (VmHWM), reset through /proc/self/clear_refs before each
/// phase, so each side's figure is its own (the benchmark's few MiB of generator state are in both).</para>
/// </remarks>
public static class StoreBench
{
    private const int Seed = 20260302;
    private const int QueryLimit = 10_000;
    internal const int WarmUpQueries = 5;
    private const string QueryTopic = "api/orders";
    private static readonly DateTimeOffset QueryFrom = StoreLogGenerator.Start.AddHours(8);
    private static readonly DateTimeOffset QueryTo = StoreLogGenerator.Start.AddHours(14);

    /// <summary>The passphrase of the benchmark's store.</summary>
    internal const string Passphrase = "store benchmark passphrase";

    /// <summary>The timed query: one topic over six hours, the first 10,000 entries.</summary>
    internal static readonly LogQuery Query = new() { Topic = QueryTopic, From = QueryFrom, To = QueryTo, PageSize = QueryLimit };

    /// <summary>Runs the benchmark and prints a markdown table.</summary>
    public static int Run(string[] args)
    {
        var positional = args.Where(arg => !arg.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var entries = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 1_000_000;
        var batch = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 4096;
        var runs = positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 7;
        var folder = positional.Length > 3 ? positional[3] : Path.Combine(Path.GetTempPath(), "forgeone-store-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var forgeOnly = args.Contains("--forge-only");
        var keep = args.Contains("--keep");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Console.Error.WriteLine($"store bench: the folder '{folder}' is not empty. Pass an empty or new folder.");
            return 2;
        }

        Directory.CreateDirectory(folder);
        try
        {
            Console.WriteLine($"store bench: {entries:N0} entries, batches of {batch}, query '{QueryTopic}' {QueryFrom:HH:mm}-{QueryTo:HH:mm} first {QueryLimit:N0}, median of {runs}; {Environment.ProcessorCount} CPUs, load {LoadAverage()}");
            var forge = RunForge(Path.Combine(folder, "store"), entries, batch, runs);
            var sqlite = forgeOnly ? null : RunSqlite(Path.Combine(folder, "sqlite", "logs.db"), entries, batch, runs);
            if (sqlite is not null && !SameEntries(forge.Page, sqlite.Page))
            {
                Console.Error.WriteLine("store bench: the two sides returned different entries for the query.");
                return 1;
            }

            Print(entries, forge, sqlite);
            Console.WriteLine($"load average at the end: {LoadAverage()}");
            return 0;
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static Result RunForge(string path, int entries, int batchSize, int runs)
    {
        using var credentials = RepositoryCredentials.FromPassphrase(Passphrase);
        var create = Stopwatch.StartNew();
        using var store = ForgeStore.Create(path, credentials);
        Console.WriteLine($"  ForgeOne store created in {create.Elapsed.TotalSeconds:F2} s (Argon2id default, not timed below)");

        ResetPeak();
        var generator = new StoreLogGenerator(Seed, entries);
        var ingest = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        // As Write-ForgeLog without -PassThru: the entries are stored, not handed back.
        using (var writer = store.Logs.OpenWriter(batchSize, returnWritten: false))
        {
            var batch = new List<LogEntry>(batchSize);
            for (var done = 0; done < entries;)
            {
                Draw(generator, batch, Math.Min(batchSize, entries - done));
                var cpuBefore = CpuTime();
                var stopwatch = Stopwatch.StartNew();
                foreach (var entry in batch)
                {
                    writer.Add(entry);
                }

                if (done + batch.Count >= entries)
                {
                    writer.Flush();
                }

                ingest += stopwatch.Elapsed;
                cpu += CpuTime() - cpuBefore;
                done += batch.Count;
            }
        }

        var ingestPeak = PeakMebibytes();
        foreach (var database in store.Layout.Databases.Where(database => database.Kind != StoreDatabaseKind.System))
        {
            using var shard = store.OpenShard(database);
            shard.Connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        var bytes = FolderBytes(path);
        GC.Collect();
        ResetPeak();
        var (page, first, median, queryCpu) = Time(runs, () => QueryForge(store));
        return new Result(ingest, cpu, bytes, first, median, queryCpu, ingestPeak, PeakMebibytes(), page);
    }

    private static Result RunSqlite(string path, int entries, int batchSize, int runs)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        GC.Collect();
        ResetPeak();
        var generator = new StoreLogGenerator(Seed, entries);
        var ingest = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        using var baseline = new StoreSqliteBaseline(path);
        var batch = new List<LogEntry>(batchSize);
        for (var done = 0; done < entries;)
        {
            Draw(generator, batch, Math.Min(batchSize, entries - done));
            var cpuBefore = CpuTime();
            var stopwatch = Stopwatch.StartNew();
            baseline.Insert(batch);
            ingest += stopwatch.Elapsed;
            cpu += CpuTime() - cpuBefore;
            done += batch.Count;
        }

        var ingestPeak = PeakMebibytes();
        baseline.Checkpoint();
        var bytes = FolderBytes(Path.GetDirectoryName(path)!);
        GC.Collect();
        ResetPeak();
        var (page, first, median, queryCpu) = Time(runs, () => baseline.Query(QueryTopic, QueryFrom, QueryTo, QueryLimit));
        return new Result(ingest, cpu, bytes, first, median, queryCpu, ingestPeak, PeakMebibytes(), page);
    }

    private static void Draw(StoreLogGenerator generator, List<LogEntry> batch, int count)
    {
        batch.Clear();
        for (var index = 0; index < count; index++)
        {
            batch.Add(generator.Next());
        }
    }

    /// <summary>
    /// The timed ForgeOne query: the page's entries with their content hashes as hex, as the SQLite side returns them
    /// (an entry computes its hash when first asked, so the query asks).
    /// </summary>
    internal static IReadOnlyList<LogEntry> QueryForge(ForgeStore store)
    {
        var items = store.Logs.ReadPage(Query).Items;
        foreach (var entry in items)
        {
            _ = entry.ContentHash;
        }

        return items;
    }

    /// <summary>Times a query: the first run, then warm-up runs, then the median wall and CPU time of the runs.</summary>
    internal static (IReadOnlyList<LogEntry> Page, TimeSpan First, TimeSpan Median, TimeSpan MedianCpu) Time(int runs, Func<IReadOnlyList<LogEntry>> query)
    {
        var stopwatch = Stopwatch.StartNew();
        var page = query();
        var first = stopwatch.Elapsed;
        if (page.Count != QueryLimit)
        {
            throw new InvalidOperationException($"The query returned {page.Count} entries, not {QueryLimit}: use at least 1,000,000 entries.");
        }

        // Warm-up runs let the JIT finish tiering the read path (a service answering queries runs warm).
        for (var run = 0; run < WarmUpQueries; run++)
        {
            query();
        }

        var times = new List<TimeSpan>();
        var cpuTimes = new List<TimeSpan>();
        for (var run = 0; run < runs; run++)
        {
            var cpuBefore = CpuTime();
            stopwatch.Restart();
            page = query();
            times.Add(stopwatch.Elapsed);
            cpuTimes.Add(CpuTime() - cpuBefore);
        }

        times.Sort();
        cpuTimes.Sort();
        return (page, first, times[times.Count / 2], cpuTimes[cpuTimes.Count / 2]);
    }

    private static bool SameEntries(IReadOnlyList<LogEntry> forge, IReadOnlyList<LogEntry> sqlite)
    {
        static IEnumerable<string> Keys(IEnumerable<LogEntry> entries) => entries
            .Select(entry => string.Join('\u001f', entry.Timestamp.UtcTicks, entry.Severity, entry.Message, entry.ContentHash, entry.CheckpointMarker,
                string.Join(',', entry.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + "=" + pair.Value))))
            .Order(StringComparer.Ordinal);
        return forge.Count == sqlite.Count && Keys(forge).SequenceEqual(Keys(sqlite));
    }

    private static void Print(int entries, Result forge, Result? sqlite)
    {
        static string Rate(Result result, int entries) => (entries / result.Ingest.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);
        static string PerEntry(Result result, int entries) => ((double)result.Bytes / entries).ToString("F1", CultureInfo.InvariantCulture);
        static string Us(TimeSpan time, int count) => (time.TotalMicroseconds / count).ToString("F1", CultureInfo.InvariantCulture);
        static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
        string Ratio(double value) => sqlite is null ? "" : value.ToString("F2", CultureInfo.InvariantCulture) + "x";
        string Other(Func<Result, string> format) => sqlite is null ? "-" : format(sqlite);

        Console.WriteLine();
        Console.WriteLine("| measure | ForgeOne store (4 log shards, sealed + zstd) | plain SQLite | ForgeOne vs SQLite |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| ingest, entries/s | {Rate(forge, entries)} | {Other(s => Rate(s, entries))} | {Ratio(sqlite is null ? 0 : sqlite.Ingest / forge.Ingest)} the speed |");
        Console.WriteLine($"| ingest, seconds | {forge.Ingest.TotalSeconds:F2} | {Other(s => s.Ingest.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture))} | |");
        Console.WriteLine($"| ingest, CPU µs per entry (all threads) | {Us(forge.IngestCpu, entries)} | {Other(s => Us(s.IngestCpu, entries))} | |");
        Console.WriteLine($"| on disk, MiB | {forge.Bytes / 1048576.0:F1} | {Other(s => (s.Bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture))} | |");
        Console.WriteLine($"| on disk, bytes per entry | {PerEntry(forge, entries)} | {Other(s => PerEntry(s, entries))} | {Ratio(sqlite is null ? 0 : (double)sqlite.Bytes / forge.Bytes)} smaller |");
        Console.WriteLine($"| query, 10k entries, warm median ms | {Ms(forge.Median)} | {Other(s => Ms(s.Median))} | {Ratio(sqlite is null ? 0 : sqlite.Median / forge.Median)} the speed |");
        Console.WriteLine($"| query, CPU ms, median (all threads) | {Ms(forge.MedianCpu)} | {Other(s => Ms(s.MedianCpu))} | |");
        Console.WriteLine($"| query, first run ms | {Ms(forge.First)} | {Other(s => Ms(s.First))} | |");
        Console.WriteLine($"| peak RSS during ingest, MiB | {forge.IngestPeak} | {Other(s => s.IngestPeak.ToString(CultureInfo.InvariantCulture))} | |");
        Console.WriteLine($"| peak RSS during queries, MiB | {forge.QueryPeak} | {Other(s => s.QueryPeak.ToString(CultureInfo.InvariantCulture))} | |");
        Console.WriteLine();
        Console.WriteLine($"targets: ingest >= 200,000/s: {(entries / forge.Ingest.TotalSeconds >= 200_000 ? "met" : "NOT met")}; " +
            $"3x smaller than SQLite: {(sqlite is null ? "n/a" : (double)sqlite.Bytes / forge.Bytes >= 3 ? "met" : "NOT met")}; " +
            $"10k query < 50 ms: {(forge.Median.TotalMilliseconds < 50 ? "met" : "NOT met")}");
    }

    private static long FolderBytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);

    // Writing 5 to clear_refs resets the VmHWM high-water mark (Linux 4.0+), so each phase reports its own peak.
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long PeakMebibytes()
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? Environment.WorkingSet >> 20 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) >> 10;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    private sealed record Result(TimeSpan Ingest, TimeSpan IngestCpu, long Bytes, TimeSpan First, TimeSpan Median, TimeSpan MedianCpu, long IngestPeak, long QueryPeak, IReadOnlyList<LogEntry> Page);
}
