using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Suppression.Bench.Unsubscribe;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends one-click POSTs and reads just enough of each answer:
/// the status line, the headers, and the body by its length or its chunks, thrown away. Not
/// HttpClient, because on a two-core machine shared with the gateway, Redis and a receiver,
/// HttpClient's own work per request (about 100 µs) is CPU the gateway under test does not get.
/// </summary>
internal sealed class OneClickConnection : IDisposable
{
    private static readonly byte[] Body = "List-Unsubscribe=One-Click"u8.ToArray();

    private readonly Socket _socket;
    private readonly string _host;
    private readonly byte[] _buffer = new byte[32 * 1024];
    private int _start;
    private int _end;

    private OneClickConnection(Socket socket, string host)
    {
        _socket = socket;
        _host = host;
    }

    /// <summary>False once the server said it closes the connection (or it failed): open another.</summary>
    public bool Reusable { get; private set; } = true;

    public static async Task<OneClickConnection> OpenAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellationToken);
            return new OneClickConnection(socket, baseUrl.Authority);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <returns>The answer's status code.</returns>
    public async Task<int> PostAsync(Uri link, CancellationToken cancellationToken)
    {
        Reusable = false;
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST {link.PathAndQuery} HTTP/1.1\r\nHost: {_host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {Body.Length}\r\n\r\n"));
        await _socket.SendAsync(head.Concat(Body).ToArray(), SocketFlags.None, cancellationToken);

        var statusLine = await ReadLineAsync(cancellationToken);
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1.1 ", StringComparison.Ordinal)
            || !int.TryParse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }

        long length = 0;
        var chunked = false;
        var close = false;
        for (var line = await ReadLineAsync(cancellationToken); line.Length > 0; line = await ReadLineAsync(cancellationToken))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                close = value.Contains("close", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (chunked)
        {
            // RFC 9112 7.1: size lines in hex (extensions after ';'), each chunk followed by CRLF; a
            // zero size ends the body, then trailer lines up to an empty one.
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken);
                var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await ReadLineAsync(cancellationToken)).Length > 0)
                    {
                    }

                    break;
                }

                await SkipAsync(size, cancellationToken);
                await ReadLineAsync(cancellationToken);
            }
        }
        else
        {
            await SkipAsync(length, cancellationToken);
        }

        Reusable = !close;
        return status;
    }

    public void Dispose() => _socket.Dispose();

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var taken = (int)Math.Min(count, _end - _start);
            _start += taken;
            count -= taken;
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("an answer's line is longer than the buffer");
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _end += read;
    }
}
