using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Suppression.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// A message of exactly Suppression:Smtp:MaxMessageBytes (20 MB here) goes through a real gateway
/// to the upstream intact, streamed: the gateway spools it to disk past MemoryBufferBytes (64 KiB
/// here) and relays it from there, so the process's live managed heap grows by a small fraction of
/// the message. One byte more is refused with 552 5.3.4 and nothing is relayed.
/// </summary>
/// <remarks>
/// The bound on heap growth is half the message: loose on purpose, so that a busy machine, the
/// socket buffers of Kestrel's pipes (1 MiB each way), MimeKit's and MailKit's buffers and the
/// spool's file buffers all fit, while any code path that held the message in memory (a
/// MemoryStream spool, a non-persistent MimeKit parse, a byte[] copy for DKIM or the relay) would
/// be at least the message's size and fail it. The heap is sampled after a full collection, so
/// garbage does not count, and the test runs in the start-up-heavy collection, when no other test
/// shares the process.
/// </remarks>
[Collection(StartUpHeavyTests.Name)]
public sealed class MessageSizeLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxMessageBytes = 20 * 1024 * 1024;
    private const int MemoryBufferBytes = 64 * 1024;

    private readonly TestSmtpSink _sink = new() { DigestOnly = true };
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await GatewayInstance.StartAsync(redis: null, _sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:MaxMessageBytes"] = MaxMessageBytes.ToString(CultureInfo.InvariantCulture),
            ["Suppression:Smtp:MemoryBufferBytes"] = MemoryBufferBytes.ToString(CultureInfo.InvariantCulture),
            ["Suppression:Upstream:RetryBudget"] = "00:03:00",
            ["Suppression:Upstream:Timeout"] = "00:02:00",

            // Transactional mail is not stamped, so the relayed header block ends with the one sent.
            ["Suppression:Tenants:0:Id"] = "billing",
            ["Suppression:Tenants:0:Networks:0"] = "127.0.0.0/8",
            ["Suppression:Tenants:0:AllowTransactional"] = "true",
        });

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Message_of_exactly_the_size_limit_is_relayed_intact_in_a_fraction_of_its_size_of_memory()
    {
        await using var client = await RawSmtpClient.GreetedAsync(_gateway.SmtpPort, "big.test");
        Assert.StartsWith("250", await client.CommandAsync($"MAIL FROM:<a@sender.test> SIZE={MaxMessageBytes}"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        var baseline = LiveHeap();
        var elapsed = Stopwatch.StartNew();
        string? reply;
        SentMessage sent;
        long peak;
        using (var sampler = new LiveHeapSampler())
        {
            sent = await SendAsync(client, MaxMessageBytes);
            reply = await client.ReadReplyAsync(TimeSpan.FromMinutes(3));
            peak = await sampler.StopAsync();
        }

        var growth = peak - baseline;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{MaxMessageBytes:N0} bytes relayed in {elapsed.Elapsed.TotalSeconds:F1} s; live heap {baseline:N0} before, {peak:N0} at most during (growth {growth:N0}, {100.0 * growth / MaxMessageBytes:F1}% of the message); peak working set {Process.GetCurrentProcess().PeakWorkingSet64:N0}"));
        Assert.StartsWith("250 2.0.0", reply);
        var relayed = Assert.Single(_sink.Messages);
        Assert.Equal(sent.BodyLength, relayed.BodyLength);
        Assert.Equal(sent.BodySha256, relayed.BodySha256);
        Assert.EndsWith(sent.Headers.Replace("X-Suppression-Class: transactional\r\n", string.Empty, StringComparison.Ordinal), relayed.Text, StringComparison.Ordinal);
        Assert.InRange(growth, long.MinValue, MaxMessageBytes / 2);
    }

    [Fact]
    public async Task Message_one_byte_over_the_size_limit_is_refused_with_552_and_nothing_is_relayed()
    {
        await using var client = await RawSmtpClient.GreetedAsync(_gateway.SmtpPort, "big.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        await SendAsync(client, MaxMessageBytes + 1);

        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync(TimeSpan.FromMinutes(3)));
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        Assert.Empty(_sink.Messages);
    }

    private static long LiveHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    // Writes a message of exactly `size` bytes as it goes (dot-stuffed, then the terminator), never
    // holding it: 80-byte lines of seeded random text, some starting with a dot; returns its
    // header section and the length and SHA-256 of its body, as the sink reports them.
    private static async Task<SentMessage> SendAsync(RawSmtpClient client, int size)
    {
        const string Headers = "From: <a@sender.test>\r\nTo: <b@example.com>\r\nSubject: At the size limit\r\n"
            + "Message-ID: <size-limit@sender.test>\r\nX-Suppression-Class: transactional\r\n\r\n";
        await client.SendAsync(Headers);
        var body = size - Headers.Length;

        // 80-byte lines, and one of whatever is left (a line is at least its CRLF, so 1 left over
        // makes the first line 81 bytes).
        var lines = new List<int>(Enumerable.Repeat(80, body / 80));
        if (body % 80 == 1)
        {
            lines[0] = 81;
        }
        else if (body % 80 > 1)
        {
            lines.Add(body % 80);
        }

#pragma warning disable CA5394 // Test content, not security: seeded so a failure reproduces.
        var random = new Random(20 * 1024 * 1024);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new MemoryStream(capacity: 70 * 1024);
        foreach (var length in lines)
        {
            var line = new byte[length];
            for (var i = 0; i < length - 2; i++)
            {
                line[i] = (byte)random.Next(0x20, 0x7F);
            }

            line[0] = random.Next(10) == 0 ? (byte)'.' : line[0];
#pragma warning restore CA5394
            line[^2] = (byte)'\r';
            line[^1] = (byte)'\n';
            hash.AppendData(line);
            if (line[0] == (byte)'.')
            {
                chunk.WriteByte((byte)'.');
            }

            chunk.Write(line);
            if (chunk.Length >= 64 * 1024)
            {
                await client.SendBytesAsync(chunk.ToArray());
                chunk.SetLength(0);
            }
        }

        chunk.Write(".\r\n"u8);
        await client.SendBytesAsync(chunk.ToArray());
        return new SentMessage(Headers, lines.Sum(), Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private sealed record SentMessage(string Headers, long BodyLength, string BodySha256);

    // The largest live managed heap seen, sampled after a full collection every 100 ms.
    private sealed class LiveHeapSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _sampling;

        public LiveHeapSampler() => _sampling = Task.Run(SampleAsync);

        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            return await _sampling;
        }

        public void Dispose() => _stop.Dispose();

        private async Task<long> SampleAsync()
        {
            var peak = 0L;
            while (!_stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, LiveHeap());
                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return Math.Max(peak, LiveHeap());
        }
    }
}
