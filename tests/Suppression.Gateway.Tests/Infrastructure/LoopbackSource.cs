using System.Net;
using System.Net.Sockets;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>HTTP handlers whose connections come from a chosen loopback address (127.0.0.2, say), as another client or a proxy would.</summary>
public static class LoopbackSource
{
    public static SocketsHttpHandler Handler(IPAddress from, bool allowAutoRedirect = true) => new()
    {
        AllowAutoRedirect = allowAutoRedirect,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
