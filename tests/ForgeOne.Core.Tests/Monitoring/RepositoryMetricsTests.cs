using System.Globalization;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Monitoring;
using ForgeOne.Core.Tests.Backup;

namespace ForgeOne.Core.Tests.Monitoring;

public sealed class RepositoryMetricsTests
{
    [Fact]
    public async Task Metrics_parse_back_as_prometheus_text_with_the_documented_series()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a.txt", "hello");
        await context.BackupAsync();
        var last = await context.BackupAsync();
        var drill = await DrDrillRunner.RunAsync(context.Repository, new DrDrillOptions { RtoObjective = TimeSpan.FromHours(1) }, null, CancellationToken.None);
        await ForgeOne.Core.Verification.RepositoryChecker.CheckAsync(context.Repository, null, null, CancellationToken.None);
        var path = Path.Join(context.TempPath, "textfile", "forgeone.prom");

        var text = await RepositoryMetrics.WriteAsync(context.Repository, path, CancellationToken.None);

        Assert.Equal(text, await File.ReadAllTextAsync(path));
        var samples = Parse(text);
        Assert.Equal(2, samples[("forgeone_backup_snapshots", $"host=\"{last.Host}\",paths=\"{context.Source}\"")]);
        Assert.Equal(last.LogicalBytes, samples[("forgeone_backup_last_size_bytes", $"host=\"{last.Host}\",paths=\"{context.Source}\"")]);
        Assert.Equal(1, samples[("forgeone_drill_last_success", "")]);
        Assert.Equal(drill.Rto.TotalSeconds, samples[("forgeone_drill_last_rto_seconds", "")], 6);
        Assert.Equal(3600, samples[("forgeone_drill_rto_objective_seconds", "")]);
        Assert.True(samples[("forgeone_repository_size_bytes", "")] > 0);
        Assert.Equal(2, samples[("forgeone_backup_success_total", $"host=\"{last.Host}\"")]);
        Assert.Equal(0, samples[("forgeone_backup_failure_total", $"host=\"{last.Host}\"")]);
        Assert.Equal(1, samples[("forgeone_verification_last_success", "")]);
    }

    // A strict reader of the exposition format: every sample belongs to a family announced by HELP and TYPE before it.
    private static Dictionary<(string Name, string Labels), double> Parse(string text)
    {
        var samples = new Dictionary<(string, string), double>();
        var typed = new HashSet<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Contains(parts[3], new[] { "gauge", "counter" });
                typed.Add(parts[2]);
                continue;
            }

            if (line.StartsWith('#'))
            {
                Assert.StartsWith("# HELP forgeone_", line, StringComparison.Ordinal);
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 ? line[..brace] : line[..space];
            var labels = brace >= 0 ? line[(brace + 1)..line.LastIndexOf('}')] : "";
            Assert.Matches("^forgeone_[a-z_]+$", name);
            Assert.Contains(name, typed);
            samples[(name, labels)] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return samples;
    }
}
