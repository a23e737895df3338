using System.Net;
using System.Net.Sockets;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder to a real server that can be told to stall: connections stay open and
/// bytes are accepted, but nothing is passed on until it resumes. That is a hung Redis (a stopped
/// process, a full network path), the failure a refused connection does not show: every call waits
/// for its timeout.
/// </summary>
public sealed class StallingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private volatile TaskCompletionSource _resumed = CompletedGate();

    public StallingTcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Stall() => _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => _resumed.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Resume();
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
            lock (_connections)
            {
                _connections.Add(client);
                _connections.Add(server);
            }

            _ = PumpAsync(client.GetStream(), server.GetStream());
            _ = PumpAsync(server.GetStream(), client.GetStream());
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stopping.Token);
                if (read == 0)
                {
                    to.Socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                await _resumed.Task.WaitAsync(_stopping.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            from.Socket.Close();
            to.Socket.Close();
        }
    }
}
