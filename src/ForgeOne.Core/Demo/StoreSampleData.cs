using System.Globalization;
using System.Text;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Blobs;
using ForgeOne.Core.Store.Events;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Core.Demo;

/// <summary>
/// Fills a store with realistic, deterministic sample data for the demo and for tests: service logs of a few
/// templates, order events, and a handful of report blobs, some of them about data subjects.
/// </summary>
public static class StoreSampleData
{
    private static readonly string[] Services = ["auth", "billing", "search", "orders", "gateway"];

    private static readonly string[] Templates =
    [
        "user {user} signed in from {ip} using {agent}; session {session} issued for 3600s",
        "GET /api/v2/orders/{order} completed with {status} in {latency} ms (cache {cache}, trace {trace})",
        "payment {order} authorised for {amount} EUR via card ending {card}; risk score {risk}",
        "search query returned {hits} hits in {latency} ms for tenant t-{tenant}, index shard {shard}",
        "disk /var/lib/forge at {percent}% on node-{node}; compaction scheduled in {minutes} minutes",
    ];

    /// <summary>What <see cref="Populate"/> wrote.</summary>
    /// <param name="Logs">Log entries written.</param>
    /// <param name="Events">Events written.</param>
    /// <param name="Blobs">Blobs added.</param>
    /// <param name="BlobBytes">Their total size.</param>
    public sealed record Summary(long Logs, long Events, int Blobs, long BlobBytes);

    /// <summary>Writes sample logs, events and blobs.</summary>
    /// <param name="store">The store.</param>
    /// <param name="logs">How many log entries.</param>
    /// <param name="events">How many events.</param>
    /// <param name="seed">Makes the data repeatable.</param>
    /// <returns>What was written.</returns>
    public static Summary Populate(ForgeStore store, int logs = 20_000, int events = 2_000, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(store);
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var written = store.Logs.Write(Enumerable.Range(0, logs).Select(index => Log(random, start, index)));
        var sent = store.Events.Send(Enumerable.Range(0, events).Select(index => new EventMessage
        {
            Topic = "orders/" + (index % 3 == 0 ? "created" : index % 3 == 1 ? "paid" : "shipped"),
            Timestamp = start.AddSeconds(index * 40),
            Priority = (EventPriority)(index % 4),
            Payload = string.Create(CultureInfo.InvariantCulture, $$"""{"order":"o-{{100000 + index}}","customer":"c-{{random.Next(5000)}}","total":{{random.Next(5, 900)}}.{{random.Next(100):D2}}}"""),
            Subject = index % 10 == 0 ? "customer-" + (index % 50).ToString(CultureInfo.InvariantCulture) : null,
            SensitiveFields = index % 10 == 0 ? ["email"] : [],
            Metadata = index % 10 == 0
                ? new Dictionary<string, string> { ["email"] = $"customer{index % 50}@example.com", ["channel"] = "web" }
                : new Dictionary<string, string> { ["channel"] = index % 2 == 0 ? "web" : "app" },
        }));

        long blobBytes = 0;
        for (var index = 0; index < 5; index++)
        {
            var report = Report(random, index);
            blobBytes += report.Length;
            store.Blobs.Add(string.Create(CultureInfo.InvariantCulture, $"reports/2026-11-{20 + index:D2}.csv"), new MemoryStream(report),
                new BlobAddOptions { ContentType = "text/csv", CreatedBy = "demo" });
        }

        return new Summary(written.Count, sent.Count, 5, blobBytes);
    }

    private static LogEntry Log(Random random, DateTimeOffset start, int index)
    {
        var template = Templates[random.Next(Templates.Length)];
        var message = template
            .Replace("{user}", "u" + random.Next(10_000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{ip}", string.Create(CultureInfo.InvariantCulture, $"10.{random.Next(4)}.{random.Next(256)}.{random.Next(256)}"), StringComparison.Ordinal)
            .Replace("{agent}", random.Next(2) == 0 ? "Mozilla/5.0 (X11; Linux x86_64)" : "forge-cli/0.1.0", StringComparison.Ordinal)
            .Replace("{session}", random.NextInt64().ToString("x16", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{order}", (100_000 + random.Next(900_000)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{status}", random.Next(20) == 0 ? "500" : "200", StringComparison.Ordinal)
            .Replace("{latency}", random.Next(2, 900).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{cache}", random.Next(3) == 0 ? "miss" : "hit", StringComparison.Ordinal)
            .Replace("{trace}", random.NextInt64().ToString("x16", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{amount}", string.Create(CultureInfo.InvariantCulture, $"{random.Next(5, 900)}.{random.Next(100):D2}"), StringComparison.Ordinal)
            .Replace("{card}", random.Next(10_000).ToString("D4", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{risk}", random.Next(100).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{hits}", random.Next(5000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{tenant}", random.Next(300).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{shard}", random.Next(16).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{percent}", random.Next(40, 99).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{node}", random.Next(12).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{minutes}", random.Next(1, 60).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var service = Services[random.Next(Services.Length)];
        return new LogEntry
        {
            Topic = "app/" + service,
            Timestamp = start.AddMilliseconds(index * 4.32),
            Severity = random.Next(50) == 0 ? LogSeverity.Error : random.Next(8) == 0 ? LogSeverity.Warning : LogSeverity.Information,
            Message = message,
            Metadata = new Dictionary<string, string>
            {
                ["host"] = "node-" + random.Next(12).ToString(CultureInfo.InvariantCulture),
                ["service"] = service,
            },
        };
    }

    private static byte[] Report(Random random, int index)
    {
        var csv = new StringBuilder("date,service,requests,errors,p99_ms\n");
        for (var row = 0; row < 4000 + (index * 500); row++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"2026-11-{20 + index:D2},{Services[row % Services.Length]},{random.Next(100_000)},{random.Next(500)},{random.Next(2000)}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
