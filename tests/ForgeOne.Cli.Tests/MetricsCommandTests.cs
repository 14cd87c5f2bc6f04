using System.Globalization;
using System.Text.RegularExpressions;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge metrics</c>: Prometheus text that parses back to the repository's state.</summary>
public sealed partial class MetricsCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-metrics-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Metrics_parse_back_to_the_repository_state_on_stdout_and_in_a_file()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        var source = _scratch["data"];
        TestFiles.WriteText(Path.Combine(source, "notes.txt"), 20_000, 1);
        repository.Backup(source);
        repository.Backup(source);
        repository.Run("drill", "run").Expect(0);

        var samples = Parse(repository.Run("metrics").Expect(0).Output);
        Assert.Equal(2, samples["forgeone_repository_snapshots"]);
        Assert.Equal(1, samples["forgeone_drill_total"]);
        Assert.Equal(1, samples["forgeone_drill_last_success"]);
        Assert.Equal(0, samples["forgeone_repository_damaged_snapshots"]);
        Assert.InRange(samples["forgeone_backup_last_age_seconds"], 0, 3600);

        var file = Path.Combine(_scratch["textfile"], "forgeone.prom");
        var written = repository.Run("metrics", "--output", file).Expect(0);
        Assert.Empty(written.Output);
        Assert.Equal(samples.Keys.Order(StringComparer.Ordinal), Parse(File.ReadAllText(file)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal([file], Directory.GetFiles(Path.GetDirectoryName(file)!));
    }

    // Every line is a comment (# HELP, # TYPE) or `name{labels} value`; returns the value of each series by name.
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE) forgeone_[a-z_]+ ", line);
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample: {line}");
            samples[match.Groups["name"].Value] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    [GeneratedRegex(@"^(?<name>forgeone_[a-z_]+)(\{[a-z_]+=""[^""]*""(,[a-z_]+=""[^""]*"")*\})? (?<value>[-+0-9.eE]+|NaN)$")]
    private static partial Regex Sample();
}
