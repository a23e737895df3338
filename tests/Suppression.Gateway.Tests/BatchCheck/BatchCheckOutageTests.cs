using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Embedded;

namespace Suppression.Gateway.Tests.BatchCheck;

/// <summary>Fail closed: a check never says "deliver" for an address the list was not consulted for.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class BatchCheckOutageTests
{
    private const string Check = "/api/v1/suppressions/check";

    [Fact]
    public async Task Check_while_the_store_is_down_is_503_with_retry_after_in_every_form()
    {
        var (store, gateway) = await StartAsync();
        await using var _ = gateway;
        await store.DisposeAsync();

        using var json = await gateway.Http.PostAsJsonAsync(Check, new { addresses = new[] { "someone@example.com" } });
        using var ndjson = await gateway.Http.PostAsync(Check, new StringContent("{\"address\": \"someone@example.com\"}\n", Encoding.UTF8, "application/x-ndjson"));

        foreach (var response in new[] { json, ndjson })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("temporarily unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Store_lost_mid_stream_ends_the_answers_with_an_incomplete_record_and_no_guessed_verdicts()
    {
        var (store, gateway) = await StartAsync();
        await using var _ = gateway;
        var lines = Enumerable.Range(0, 12_000).Select(i => $"{{\"address\": \"mid-stream{i}@example.com\"}}\n").ToList();

        // A raw HTTP/1.1 exchange, so the test decides when each part of the body is sent.
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, gateway.HttpPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {Check} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {GatewayInstance.AdminKey}\r\n"
            + "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
        await WriteChunkAsync(stream, string.Concat(lines.Take(7000)));
        var received = new MemoryStream();
        await ReadUntilAsync(stream, received, text => text.Contains("\"verdict\"", StringComparison.Ordinal));

        await store.DisposeAsync();
        try
        {
            await WriteChunkAsync(stream, string.Concat(lines.Skip(7000)));
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The gateway may end the exchange before it has read the whole body.
        }

        await ReadUntilAsync(stream, received, _ => false);
        var (status, body) = ParseChunkedResponse(received.ToArray());

        Assert.Equal(200, status);
        var records = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var answers = records[..^1];
        var end = records[^1];
        Assert.False(end.GetProperty("complete").GetBoolean());
        Assert.Equal(503, end.GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal(answers.Count, end.GetProperty("counts").GetProperty("addresses").GetInt32());
        Assert.InRange(answers.Count, 1, lines.Count - 1);
        for (var i = 0; i < answers.Count; i++)
        {
            Assert.Equal($"mid-stream{i}@example.com", answers[i].GetProperty("address").GetString());
            Assert.Equal("deliver", answers[i].GetProperty("verdict").GetString());
        }
    }

    private static async Task<(EmbeddedRedisServer Store, GatewayInstance Gateway)> StartAsync()
    {
        var port = FreePort.Next();
        var store = await EmbeddedRedisServer.StartAsync(Directory.CreateTempSubdirectory("suppression-check-outage-").FullName, port, null, CancellationToken.None);
        var gateway = await GatewayInstance.StartAsync(
            $"127.0.0.1:{port},password={store.Password},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000", upstreamPort: null);
        await gateway.WarmUpAsync();
        return (store, gateway);
    }

    private static async Task WriteChunkAsync(NetworkStream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
        await stream.WriteAsync(bytes);
        await stream.WriteAsync("\r\n"u8.ToArray());
    }

    // Reads until the condition holds on what was received, or the gateway closes the connection (30 s at most).
    private static async Task ReadUntilAsync(NetworkStream stream, MemoryStream received, Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        while (!done(Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length)))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return;
            }

            received.Write(buffer, 0, read);
        }
    }

    private static (int Status, string Body) ParseChunkedResponse(byte[] response)
    {
        var text = Encoding.UTF8.GetString(response);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var status = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Transfer-Encoding: chunked", text[..headerEnd], StringComparison.OrdinalIgnoreCase);
        var body = new StringBuilder();
        var position = headerEnd + 4;
        while (true)
        {
            var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(text[position..lineEnd], 16);
            if (size == 0)
            {
                // The terminating chunk: the response was not cut off.
                return (status, body.ToString());
            }

            // Addresses here are ASCII, so characters and bytes count alike.
            body.Append(text, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
