using System.Net.Sockets;
using System.Text;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>A socket-level SMTP client for sending exact bytes (garbage, NUL, pipelined batches) and reading raw replies.</summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private Stream _stream;
    private StreamReader _reader;

    private RawSmtpClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
    }

    public static async Task<RawSmtpClient> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        client.ReceiveTimeout = 15000;
        return new RawSmtpClient(client);
    }

    /// <summary>Connected from another loopback address (all of 127.0.0.0/8 is this host), to be another client.</summary>
    public static async Task<RawSmtpClient> ConnectFromAsync(int port, System.Net.IPAddress from)
    {
        var client = new TcpClient(new System.Net.IPEndPoint(from, 0));
        await client.ConnectAsync("127.0.0.1", port);
        client.ReceiveTimeout = 15000;
        return new RawSmtpClient(client);
    }

    /// <summary>Connected, greeted with 220 and past EHLO: where most conversations start.</summary>
    public static async Task<RawSmtpClient> GreetedAsync(int port, string clientName)
    {
        var client = await ConnectAsync(port);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO " + clientName));
        return client;
    }

    /// <summary>Reads one whole (possibly multi-line) reply; null when the server closed the connection.</summary>
    public Task<string?> ReadReplyAsync() => ReadReplyAsync(TimeSpan.FromSeconds(30));

    public async Task<string?> ReadReplyAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var lines = new List<string>();
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.Length < 4 || line[3] == ' ')
            {
                return string.Join("\n", lines);
            }
        }

        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    public Task SendBytesAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends one command line (CRLF added) and returns the reply.</summary>
    public async Task<string?> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>
    /// After the server's 220 to STARTTLS: the TLS handshake, trusting only the certificate with
    /// <paramref name="thumbprint"/>; later commands go over TLS (RFC 3207).
    /// </summary>
    public async Task UpgradeToTlsAsync(string thumbprint)
    {
        var tls = new System.Net.Security.SslStream(_stream, leaveInnerStreamOpen: false, (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint);
        await tls.AuthenticateAsClientAsync("gateway.test");
        _stream = tls;
        _reader = new StreamReader(tls, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
