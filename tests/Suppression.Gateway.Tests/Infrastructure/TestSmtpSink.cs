using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// An upstream SMTP peer on a loopback socket whose answers a test can script (refuse a recipient,
/// defer or refuse the data, drop the connection). It records exactly the bytes it was given.
/// Tests that only need a sink can also use Postfix's smtp-sink (see <see cref="PostfixSmtpSink"/>).
/// </summary>
public sealed class TestSmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public TestSmtpSink()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedMessage> Messages { get; } = new();

    /// <summary>Reply to RCPT for a given address, or null for 250.</summary>
    public Func<string, string?> RcptReply { get; set; } = _ => null;

    /// <summary>Reply after the final ".", or null for 250.</summary>
    public Func<ReceivedMessage, string?> DataReply { get; set; } = _ => null;

    /// <summary>When true the sink closes the connection instead of answering the final ".".</summary>
    public bool DropConnectionAfterData { get; set; }

    /// <summary>Given the connection's number (1 for the first), a greeting to refuse it with (e.g. 421) and close, or null for 220.</summary>
    public Func<int, string?> Greeting { get; set; } = _ => null;

    /// <summary>
    /// When true a message's body is hashed as it arrives rather than kept, so a test can relay a
    /// message of many megabytes without the sink holding it: <see cref="ReceivedMessage.Data"/> is
    /// then the header section only, and the body is <see cref="ReceivedMessage.BodyLength"/> bytes
    /// with SHA-256 <see cref="ReceivedMessage.BodySha256"/>.
    /// </summary>
    public bool DigestOnly { get; set; }

    /// <summary>The extensions EHLO offers besides PIPELINING, SIZE and ENHANCEDSTATUSCODES.</summary>
    public string[] Extensions { get; set; } = ["8BITMIME", "SMTPUTF8"];

    public int Connections => _connections;

    private int _connections;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var number = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client, number));
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new LineReader(stream);
        async Task Reply(string line) => await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), _stop.Token);
        try
        {
            if (Greeting(number) is { } greetingRefusal)
            {
                await Reply(greetingRefusal);
                return;
            }

            await Reply("220 sink.test ESMTP test sink");
            string sender = string.Empty;
            string parameters = string.Empty;
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } raw)
            {
                var line = Encoding.UTF8.GetString(raw).TrimEnd('\r', '\n');
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await Reply("250-sink.test\r\n250-PIPELINING\r\n" + string.Concat(Extensions.Select(extension => $"250-{extension}\r\n")) + "250-SIZE 52428800\r\n250 ENHANCEDSTATUSCODES");
                        break;
                    case "MAIL":
                        sender = Path(line);
                        parameters = Parameters(line);
                        recipients.Clear();
                        await Reply("250 2.1.0 ok");
                        break;
                    case "RCPT":
                        var recipient = Path(line);
                        var refusal = RcptReply(recipient);
                        if (refusal is null)
                        {
                            recipients.Add(recipient);
                        }

                        await Reply(refusal ?? "250 2.1.5 ok");
                        break;
                    case "DATA":
                        await Reply("354 go ahead");
                        var (data, bodyLength, bodySha256) = await ReadDataAsync(reader);
                        if (DropConnectionAfterData)
                        {
                            return;
                        }

                        var message = new ReceivedMessage(sender, recipients.ToList(), data)
                        {
                            BodyLength = bodyLength,
                            BodySha256 = bodySha256,
                            MailParameters = parameters,
                        };
                        var answer = DataReply(message);
                        if (answer is null)
                        {
                            Messages.Enqueue(message);
                        }

                        await Reply(answer ?? "250 2.0.0 queued");
                        break;
                    case "QUIT":
                        await Reply("221 2.0.0 bye");
                        return;
                    default:
                        await Reply("250 2.0.0 ok");
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    // Up to the final "."; with DigestOnly, the body past the header section is only hashed.
    private async Task<(byte[] Data, long BodyLength, string? BodySha256)> ReadDataAsync(LineReader reader)
    {
        var data = new MemoryStream();
        using var body = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var bodyLength = 0L;
        var inBody = false;
        while (await reader.ReadLineAsync(_stop.Token) is { } line && !line.AsSpan().SequenceEqual(".\r\n"u8))
        {
            var skip = line.Length > 0 && line[0] == (byte)'.' ? 1 : 0;
            if (DigestOnly && inBody)
            {
                body.AppendData(line, skip, line.Length - skip);
                bodyLength += line.Length - skip;
                continue;
            }

            data.Write(line, skip, line.Length - skip);
            inBody = line.AsSpan().SequenceEqual("\r\n"u8);
        }

        return (data.ToArray(), bodyLength, DigestOnly ? Convert.ToHexStringLower(body.GetHashAndReset()) : null);
    }

    private static string Path(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.LastIndexOf('>');
        return start >= 0 && end > start ? line[(start + 1)..end] : string.Empty;
    }

    // What follows the path of MAIL FROM (RFC 5321 4.1.2 Mail-parameters), as sent.
    private static string Parameters(string line)
    {
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return end < 0 ? string.Empty : line[(end + 1)..].Trim();
    }

    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, cancellationToken);
                    if (_end == 0)
                    {
                        return null;
                    }
                }

                var lineFeed = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var stop = lineFeed < 0 ? _end : lineFeed + 1;
                line.Write(_buffer, _start, stop - _start);
                _start = stop;
                if (lineFeed >= 0)
                {
                    return line.ToArray();
                }
            }
        }
    }
}
