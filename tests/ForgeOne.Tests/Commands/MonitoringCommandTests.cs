using System.Globalization;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>Export-ForgeMetrics (parsed back as Prometheus text) and Set-ForgeAlert (stored in the repository).</summary>
public sealed class MonitoringCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Metrics_file_parses_back_with_the_repositorys_backups_and_drills()
    {
        var repository = new TestRepository(shell).Create();
        var snapshot = repository.Backup();
        repository.Run("$null = Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -RtoObjective 8h").ShouldSucceed();
        repository.Run("$null = Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Validation { $false }").ShouldSucceed();
        var path = Path.Combine(repository.Root, "textfile", "forgeone.prom");

        var file = Assert.Single(repository.Run("Export-ForgeMetrics -Repository $repo -KeyFile $key -Path $p", ("p", path)).ShouldSucceed().Output);
        var text = Assert.Single(repository.Run("Export-ForgeMetrics -Repository $repo -KeyFile $key -Path $p -PassThru", ("p", path)).ShouldSucceed().Output);

        Assert.Equal(path, Assert.IsType<FileInfo>(file.BaseObject).FullName);
        var metrics = Parse(File.ReadAllText(path));
        Assert.Equal(1, metrics["forgeone_repository_snapshots"]);
        Assert.Equal(0, metrics["forgeone_repository_damaged_snapshots"]);
        Assert.True(metrics["forgeone_repository_size_bytes"] > 0);
        Assert.Equal(2, metrics["forgeone_drill_total"]);
        Assert.Equal(1, metrics["forgeone_drill_failure_total"]);
        Assert.Equal(0, metrics["forgeone_drill_last_success"]);
        var source = $"forgeone_backup_last_size_bytes{{host=\"{snapshot.Get<string>("Host")}\",paths=\"{string.Join(',', snapshot.Items("Paths").Select(p => p.BaseObject))}\"}}";
        Assert.Equal(snapshot.Get<long>("LogicalBytes"), metrics[source]);
        Assert.Equal(File.ReadAllText(path).Split('\n').Length, Assert.IsType<string>(text.BaseObject).Split('\n').Length);
    }

    [Fact]
    public void Alert_settings_are_stored_as_versions_and_can_be_turned_off()
    {
        var repository = new TestRepository(shell).Create();

        var set = Assert.Single(repository.Run("Set-ForgeAlert -Repository $repo -KeyFile $key -WebhookUrl http://127.0.0.1:9/hook -Slack -MaxAttempts 2").ShouldSucceed().Output);
        var off = Assert.Single(repository.Run("Set-ForgeAlert -Repository $repo -KeyFile $key -Disable").ShouldSucceed().Output);
        var invalid = repository.RunCatching("Set-ForgeAlert -Repository $repo -KeyFile $key -WebhookUrl ftp://example.com/x");

        Assert.Equal("AlertSettingsVersion", set.TypeName());
        Assert.Equal(1L, set.Get<long>("Version"));
        var settings = System.Management.Automation.PSObject.AsPSObject(set.Get("Settings")!);
        Assert.Equal("http://127.0.0.1:9/hook", settings.Get<string>("WebhookUrl"));
        Assert.True(settings.Get<bool>("Slack"));
        Assert.Equal(2, settings.Get<int>("MaxAttempts"));
        Assert.Equal(2L, off.Get<long>("Version"));
        Assert.Null(off.Get("Settings"));
        Assert.Equal("InvalidArgument,ForgeOne.Commands.SetForgeAlertCommand", invalid.Terminating?.FullyQualifiedErrorId);
    }

    [Fact]
    public void A_failed_drill_posts_an_alert_to_the_webhook_and_a_passing_one_does_not()
    {
        using var webhook = new WebhookListener();
        var repository = new TestRepository(shell).Create();
        repository.Backup();
        repository.Run("$null = Set-ForgeAlert -Repository $repo -KeyFile $key -WebhookUrl $url", ("url", webhook.Url)).ShouldSucceed();

        repository.Run("$null = Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -RtoObjective 8h").ShouldSucceed();
        Assert.Empty(webhook.Bodies);
        var failed = Assert.Single(repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Validation { $false }").ShouldSucceed().Output);

        Assert.False(failed.Get<bool>("Passed"));
        using var alert = System.Text.Json.JsonDocument.Parse(Assert.Single(webhook.Bodies));
        Assert.Equal("drill.failed", alert.RootElement.GetProperty("event").GetString());
        Assert.Contains("validation", alert.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var delivery = Assert.Single(repository.Run("Get-ForgeAuditLog -Repository $repo -KeyFile $key -Operation alert.delivery").ShouldSucceed().Output);
        Assert.Equal("Succeeded", delivery.Get("Outcome")!.ToString());
    }

    /// <summary>The Prometheus text format: '# HELP' and '# TYPE' comments, then 'name{labels} value' lines.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
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
                Assert.StartsWith("# HELP forgeone_", line);
                continue;
            }

            var space = line.LastIndexOf(' ');
            var key = line[..space];
            var name = key.Split('{')[0];
            Assert.Matches("^forgeone_[a-z_]+$", name);
            Assert.Contains(name, typed);
            metrics.Add(key, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }

        return metrics;
    }
}
