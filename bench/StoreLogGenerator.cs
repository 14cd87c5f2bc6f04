using System.Globalization;
using ForgeOne.Core.Store.Logs;

namespace ForgeOne.Bench;

/// <summary>
/// Realistic log entries for the store benchmark, the same for the same seed: 16 topics of uneven volume, about
/// 200-byte messages from per-topic templates filled with ids, IPs, user names, latencies and random trace ids,
/// a skewed severity mix, 1 to 3 metadata fields, and timestamps in arrival order (with jitter) over one day.
/// </summary>
/// <remarks>
/// Trace ids, span ids, request ids and order numbers are random, as they are in real logs: that is the part no
/// compressor can remove, so the benchmark does not flatter compression.
/// </remarks>
internal sealed class StoreLogGenerator
{
    /// <summary>The first timestamp: a fixed day, so every run stores the same entries.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Topic, int Weight)[] Topics =
    [
        ("api/gateway", 22), ("api/orders", 12), ("api/users", 8), ("auth/login", 6), ("auth/token", 8),
        ("billing/invoices", 3), ("billing/payments", 4), ("search/query", 9), ("search/indexer", 3),
        ("db/postgres", 6), ("db/redis", 5), ("infra/k8s", 4), ("infra/disk", 1), ("worker/email", 3),
        ("worker/export", 2), ("cdn/edge", 4),
    ];

    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
    private static readonly string[] Regions = ["eu-west-1", "eu-central-1", "us-east-1"];
    private static readonly string[] Services = ["gateway", "orders", "users", "auth", "billing", "search", "worker"];
    private static readonly string[] Versions = ["1.14.2", "1.14.3", "1.15.0"];
    private static readonly string[] Countries = ["DE", "FR", "NL", "US", "GB", "PL", "SE"];
    private static readonly string[] Agents = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)", "okhttp/4.12.0", "curl/8.5.0", "python-requests/2.31.0"];
    private static readonly string[] Tables = ["orders", "order_items", "users", "sessions", "invoices", "payments"];
    private static readonly string[] Pods = ["api-7f9c6d-x2k4p", "api-7f9c6d-q8w1z", "worker-5d8b9-mm3ra", "search-6c4f7-tt9vb", "auth-84d2c-kk1lq"];

    private readonly Random _random;
    private readonly string[] _users;
    private readonly int[] _topicByWeight;
    private readonly long _spanMicros;
    private readonly int _count;
    private int _index;

    /// <summary>Creates a generator of <paramref name="count"/> entries spread over one day.</summary>
    /// <param name="seed">The seed; the same seed gives the same entries.</param>
    /// <param name="count">How many entries will be drawn (spaces the timestamps).</param>
    public StoreLogGenerator(int seed, int count)
    {
        _random = new Random(seed);
        _count = count;
        _spanMicros = 86_400_000_000L;
        var names = new[] { "anna", "ben", "carla", "dmitri", "elif", "farid", "greta", "hugo", "ines", "jonas", "kasia", "lars", "mia", "noah", "olga", "pavel" };
        _users = [.. Enumerable.Range(0, 5000).Select(i => names[i % names.Length] + "." + names[(i / names.Length) % names.Length] + (i / 256).ToString(CultureInfo.InvariantCulture))];
        _topicByWeight = [.. Topics.SelectMany((topic, index) => Enumerable.Repeat(index, topic.Weight))];
    }

    /// <summary>The topic names, heaviest first.</summary>
    public static IEnumerable<string> TopicNames => Topics.OrderByDescending(topic => topic.Weight).Select(topic => topic.Topic);

    /// <summary>Draws the next entry.</summary>
    /// <returns>The entry.</returns>
    public LogEntry Next()
    {
        var index = _index++;
        var topicIndex = _topicByWeight[_random.Next(_topicByWeight.Length)];
        var topic = Topics[topicIndex].Topic;

        // Arrival order with up to 50 ms of jitter: producers batch, clocks differ a little.
        var micros = (_spanMicros * index / _count) + _random.Next(50_000);
        var severity = _random.Next(1000) switch
        {
            < 15 => LogSeverity.Trace,
            < 165 => LogSeverity.Debug,
            < 865 => LogSeverity.Information,
            < 945 => LogSeverity.Warning,
            < 995 => LogSeverity.Error,
            _ => LogSeverity.Critical,
        };

        var metadata = new Dictionary<string, string>(3, StringComparer.Ordinal)
        {
            ["service"] = Services[topicIndex % Services.Length],
        };
        if (_random.Next(3) > 0)
        {
            metadata["host"] = Pods[_random.Next(Pods.Length)];
        }

        if (_random.Next(3) == 0)
        {
            metadata[_random.Next(2) == 0 ? "version" : "region"] = _random.Next(2) == 0 ? Versions[_random.Next(Versions.Length)] : Regions[_random.Next(Regions.Length)];
        }

        return new LogEntry
        {
            Topic = topic,
            Timestamp = Start.AddTicks(micros * 10),
            Severity = severity,
            Message = Message(topic),
            Metadata = metadata,
            CheckpointMarker = index % 1000 == 999 ? "batch-" + (index / 1000).ToString("D6", CultureInfo.InvariantCulture) : null,
        };
    }

    private string Message(string topic)
    {
        var r = _random;
        var user = _users[r.Next(_users.Length)];
        var ip = string.Create(CultureInfo.InvariantCulture, $"10.{r.Next(4)}.{r.Next(256)}.{r.Next(1, 255)}");
        var trace = Hex(16);
        var latency = r.Next(100) < 90 ? r.Next(2, 180) : r.Next(180, 4000);
        var text = topic switch
        {
            "api/gateway" or "cdn/edge" => string.Create(CultureInfo.InvariantCulture,
                $"{Methods[r.Next(Methods.Length)]} /api/v2/{Tables[r.Next(Tables.Length)]}/{r.Next(1, 9_999_999)} status={(r.Next(50) == 0 ? 503 : 200)} bytes={r.Next(120, 48_000)} latency_ms={latency} client={ip} ua=\"{Agents[r.Next(Agents.Length)]}\" trace_id={trace}"),
            "api/orders" => string.Create(CultureInfo.InvariantCulture,
                $"Order {r.Next(1_000_000, 9_999_999)} for customer {user} moved to {(r.Next(4) == 0 ? "shipped" : "paid")}: {r.Next(1, 12)} items, total {r.Next(5, 900)}.{r.Next(100):D2} EUR, warehouse WH-{r.Next(1, 9)} request_id={Hex(8)} trace_id={trace}"),
            "api/users" => string.Create(CultureInfo.InvariantCulture,
                $"Profile update for user {user} from {ip}: fields=[email,display_name] country={Countries[r.Next(Countries.Length)]} took {latency} ms request_id={Hex(8)} trace_id={trace}"),
            "auth/login" => string.Create(CultureInfo.InvariantCulture,
                $"User {user} signed in from {ip} ({Countries[r.Next(Countries.Length)]}) via {(r.Next(3) == 0 ? "sso" : "password")}, mfa={(r.Next(5) > 0 ? "totp" : "none")}, session {Hex(12)} expires in 3600 s trace_id={trace}"),
            "auth/token" => string.Create(CultureInfo.InvariantCulture,
                $"Issued access token for client svc-{Services[r.Next(Services.Length)]} scope=\"orders:read users:read\" user={user} ttl=900s jti={Hex(12)} latency_ms={latency} trace_id={trace}"),
            "billing/invoices" or "billing/payments" => string.Create(CultureInfo.InvariantCulture,
                $"Payment {Hex(10)} for invoice INV-2026-{r.Next(1, 999_999):D6} of {user}: {r.Next(5, 5000)}.{r.Next(100):D2} EUR via {(r.Next(2) == 0 ? "card" : "sepa")} authorized by PSP in {latency} ms trace_id={trace}"),
            "search/query" or "search/indexer" => string.Create(CultureInfo.InvariantCulture,
                $"Search query from {user} on index products-v{r.Next(3, 7)} returned {r.Next(0, 500)} hits of {r.Next(1000, 900_000)} in {latency} ms (shards {r.Next(1, 8)}/8, cache {(r.Next(3) == 0 ? "hit" : "miss")}) trace_id={trace}"),
            "db/postgres" or "db/redis" => string.Create(CultureInfo.InvariantCulture,
                $"Slow query on {Tables[r.Next(Tables.Length)]}: {latency} ms, {r.Next(1, 50_000)} rows, plan=index_scan conn={ip}:5432 pid={r.Next(1000, 65_000)} app=svc-{Services[r.Next(Services.Length)]} db_user={user} trace_id={trace}"),
            "infra/k8s" or "infra/disk" => string.Create(CultureInfo.InvariantCulture,
                $"Pod {Pods[r.Next(Pods.Length)]} on node ip-{ip.Replace('.', '-')} restarted (reason={(r.Next(2) == 0 ? "OOMKilled" : "Liveness probe failed")}), restarts={r.Next(1, 30)}, memory {r.Next(200, 2048)} MiB of 2048 MiB, namespace=shop-prod"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"Job {Hex(8)} for {user} finished: {r.Next(1, 5000)} items exported to s3://exports/{user}/{r.Next(100_000, 999_999)}.csv.gz in {latency} ms, attempt {r.Next(1, 4)} of 3 trace_id={trace}"),
        };

        // Every service adds its span and environment, as OpenTelemetry-instrumented services do.
        return text + " span_id=" + Hex(8) + " env=prod";
    }

    private string Hex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }
}
