using System.Security.Cryptography;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>
/// Sends every corpus message once through one real gateway (List-Unsubscribe stamping on, a DKIM
/// signer for every From domain in the corpus) to a sink that records the exact bytes and MAIL FROM
/// parameters, runs both DKIM verifiers over the copies, and writes the report. The tests read it.
/// </summary>
public sealed class FaithfulRelayFixture : IAsyncLifetime
{
    public const int Recipients = 2;
    public const string Sender = "news@sender.test";

    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("faithful-relay-key-").FullName;
    private GatewayInstance? _gateway;

    public IReadOnlyList<CorpusMessage> Corpus { get; } = CorpusMessage.LoadAll();

    public List<MessageRun> Runs { get; } = [];

    public TestSmtpSink Sink { get; } = new();

    /// <summary>FAITHFUL_REPORT_DIR, else faithful-relay/ beside the test assembly: report.txt, summary.txt, copies/.</summary>
    public string ReportDirectory { get; } = Environment.GetEnvironmentVariable("FAITHFUL_REPORT_DIR") is { Length: > 0 } directory
        ? directory
        : Path.Combine(AppContext.BaseDirectory, "faithful-relay");

    public string CopiesDirectory => Path.Combine(ReportDirectory, "copies");

    public IReadOnlyDictionary<string, (string Result, string Detail)>? Dkimpy { get; private set; }

    public IReadOnlyDictionary<string, (string Result, string Detail)>? MailDkim { get; private set; }

    public FaithfulRelayReport Report { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var txtRecord = Path.Combine(_keyDirectory, "faithful.txt");
        _gateway = await StartGatewayAsync(txtRecord);
        if (Directory.Exists(ReportDirectory))
        {
            Directory.Delete(ReportDirectory, recursive: true);
        }

        Directory.CreateDirectory(CopiesDirectory);
        for (var i = 0; i < Corpus.Count; i++)
        {
            var run = await SendAsync(Corpus[i], i);
            Runs.Add(run);
            for (var copy = 0; copy < run.Copies.Count; copy++)
            {
                await File.WriteAllBytesAsync(Path.Combine(CopiesDirectory, MessageRun.CopyName(run.Message, copy)), run.Copies[copy].Data, timeout.Token);
            }
        }

        if (DkimBatchVerifier.SkipReason is null)
        {
            Dkimpy = await DkimBatchVerifier.WithDkimpyAsync(CopiesDirectory, txtRecord, timeout.Token);
            MailDkim = await DkimBatchVerifier.WithMailDkimAsync(CopiesDirectory, txtRecord, timeout.Token);
        }

        Report = new FaithfulRelayReport(Runs, Dkimpy, MailDkim);
        await Report.WriteAsync(ReportDirectory, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Sink.DisposeAsync();
        Directory.Delete(_keyDirectory, recursive: true);
    }

    private async Task<GatewayInstance> StartGatewayAsync(string txtRecord)
    {
        using var key = RSA.Create(2048);
        var keyFile = Path.Combine(_keyDirectory, "faithful.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportRSAPrivateKeyPem());
        await File.WriteAllTextAsync(txtRecord, $"v=DKIM1; k=rsa; p={Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())}");
        var settings = new Dictionary<string, string>
        {
            ["Suppression:Tokens:Keys:0"] = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes)),
        };

        // One signer per From domain the gateway would sign for, all with the one key: every copy that
        // can be signed is, so every copy's signature is checked.
        var domains = Corpus.Select(message => message.SigningDomain).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < domains.Count; i++)
        {
            settings[$"Suppression:Dkim:Signers:{i}:Domain"] = domains[i];
            settings[$"Suppression:Dkim:Signers:{i}:Selector"] = CopyComparison.Selector;
            settings[$"Suppression:Dkim:Signers:{i}:PrivateKeyFile"] = keyFile;
        }

        var gateway = await GatewayInstance.StartAsync(null, Sink.Port, settings);
        await gateway.WarmUpAsync();
        return gateway;
    }

    // As a marketing system would: BODY=8BITMIME when the message has 8-bit octets (RFC 6152),
    // SMTPUTF8 when its header fields are UTF-8 (RFC 6531 3.4), one connection per message.
    private async Task<MessageRun> SendAsync(CorpusMessage message, int index)
    {
        var parameters = (message.Has8Bit ? " BODY=8BITMIME" : string.Empty) + (message.NeedsSmtpUtf8 ? " SMTPUTF8" : string.Empty);
        await using var client = await RawSmtpClient.GreetedAsync(_gateway!.SmtpPort, "marketing.test");
        var reply = await client.CommandAsync($"MAIL FROM:<{Sender}>{parameters}") ?? "(connection closed)";
        for (var recipient = 0; recipient < Recipients && reply.StartsWith("250", StringComparison.Ordinal); recipient++)
        {
            reply = await client.CommandAsync($"RCPT TO:<faithful-{index:000}-{recipient + 1}@example.com>") ?? "(connection closed)";
        }

        if (reply.StartsWith("250", StringComparison.Ordinal))
        {
            reply = await client.CommandAsync("DATA") ?? "(connection closed)";
        }

        if (reply.StartsWith("354", StringComparison.Ordinal))
        {
            await client.SendBytesAsync(message.Transmitted());
            reply = await client.ReadReplyAsync(TimeSpan.FromMinutes(2)) ?? "(connection closed)";
        }

        try
        {
            await client.SendAsync("QUIT\r\n");
        }
        catch (IOException)
        {
            // The gateway closed the connection itself (a 421): the reply says so.
        }

        // The gateway answers 250 only once the upstream took every copy, and the sink records a copy before it answers.
        var copies = new List<ReceivedMessage>();
        while (Sink.Messages.TryDequeue(out var copy))
        {
            copies.Add(copy);
        }

        copies.Sort((first, second) => string.CompareOrdinal(first.Recipients[0], second.Recipients[0]));
        return new MessageRun(message, parameters.Trim(), reply, copies);
    }
}
