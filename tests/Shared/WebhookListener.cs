using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ForgeOne.Tests.Shared;

/// <summary>A real HTTP listener on 127.0.0.1 that answers with the given statuses in turn and keeps every body it got.</summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Queue<int> _statuses;
    private readonly Task _loop;

    public WebhookListener(params int[] statuses)
    {
        _statuses = new Queue<int>(statuses);

        // A path of its own, so a listener of a test running in parallel that happens to get the same free port can
        // never receive this one's requests; and a new port when another process took this one meanwhile.
        for (var attempt = 1; ; attempt++)
        {
            Url = $"http://127.0.0.1:{FreePort()}/hook-{Guid.NewGuid():N}/";
            _listener = new HttpListener();
            _listener.Prefixes.Add(Url);
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                Bodies.Enqueue(await reader.ReadToEndAsync());
            }

            context.Response.StatusCode = _statuses.Count > 0 ? _statuses.Dequeue() : 200;
            context.Response.Close();
        }
    }
}
