using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge alert set|show|test|clear</c> against a real HTTP listener on 127.0.0.1.</summary>
public sealed class AlertCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-alert-");
    private readonly HttpListener _listener = new();
    private readonly string _url;

    public AlertCommandTests()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Close();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Test_alert_is_posted_to_the_webhook_and_its_delivery_reported()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        Assert.Contains("alerts off", repository.Run("alert", "show").Expect(0).Output, StringComparison.Ordinal);
        repository.Run("alert", "set", "--webhook", _url, "--max-attempts", "2").Expect(0);
        Assert.Contains($"webhook {_url}, up to 2 attempt(s)", repository.Run("alert", "show").Expect(0).Output, StringComparison.Ordinal);

        var received = ReceiveAsync(200);
        var result = repository.Run("alert", "test").Expect(0);
        var (method, body) = await received;

        Assert.Equal("POST", method);
        Assert.Equal("alert.test", body.GetProperty("event").GetString());
        Assert.Equal(repository.Path, body.GetProperty("repository").GetString());
        Assert.Contains($"delivered to {_url} (HTTP 200) after 1 attempt(s)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undelivered_test_alert_exits_1_after_its_attempts_and_slack_gets_text()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        repository.Run("alert", "set", "--webhook", _url, "--slack", "--max-attempts", "2").Expect(0);

        var first = ReceiveAsync(503);
        var running = Task.Run(() => repository.Run("alert", "test"));
        var (_, body) = await first;
        await ReceiveAsync(503);
        var result = (await running).Expect(ExitCodes.Failure);

        Assert.Contains(":rotating_light:", body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("NOT delivered", result.Output, StringComparison.Ordinal);
        Assert.Contains("after 2 attempt(s)", result.Output, StringComparison.Ordinal);

        repository.Run("alert", "clear").Expect(0);
        Assert.Contains("forge alert set --webhook", repository.Run("alert", "test").Expect(ExitCodes.Failure).Error, StringComparison.Ordinal);
        repository.Run("alert", "set", "--webhook", "ftp://example.com/").Expect(ExitCodes.Usage);
    }

    // Answers one request with the status given; returns its method and JSON body.
    private async Task<(string Method, JsonElement Body)> ReceiveAsync(int status)
    {
        var context = await _listener.GetContextAsync();
        using var document = await JsonDocument.ParseAsync(context.Request.InputStream);
        context.Response.StatusCode = status;
        context.Response.Close();
        return (context.Request.HttpMethod, document.RootElement.Clone());
    }
}
