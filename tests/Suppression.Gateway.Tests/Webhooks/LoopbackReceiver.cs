using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>A real HTTP receiver on a free loopback port: records each request and answers as the test says.</summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _answer;
    private readonly Task _loop;

    public LoopbackReceiver(Func<HttpListenerContext, Task> answer)
    {
        _answer = answer;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ListenAsync);
    }

    public sealed record Request(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks");

    public ConcurrentQueue<Request> Requests { get; } = new();

    public static Func<HttpListenerContext, Task> Status(int status, Action<HttpListenerResponse>? headers = null) => context =>
    {
        headers?.Invoke(context.Response);
        context.Response.StatusCode = status;
        context.Response.Close();
        return Task.CompletedTask;
    };

    private async Task ListenAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, context.Request.ContentEncoding);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new Request(
                context.Request.Url!.AbsolutePath,
                context.Request.Headers.AllKeys.OfType<string>().ToDictionary(key => key.ToLowerInvariant(), key => context.Request.Headers[key]!),
                body));
            _ = Task.Run(async () =>
            {
                try
                {
                    await _answer(context);
                }
                catch (HttpListenerException)
                {
                    // The sender gave up (a timeout test).
                }
            });
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
