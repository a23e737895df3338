using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Suppression.Smtp.Tests.Server;

/// <summary>STARTTLS (RFC 3207) with a throwaway self-signed certificate.</summary>
public sealed class SmtpSessionStartTlsTests : IDisposable
{
    private readonly SessionHarness _harness = new();
    private readonly X509Certificate2 _certificate = CreateCertificate();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task Ehlo_offers_starttls_when_a_certificate_is_configured()
    {
        await using var smtp = _harness.Connect(certificate: _certificate);
        await smtp.ExpectReplyAsync("220");

        var ehlo = await smtp.CommandAsync("EHLO client.example");

        Assert.Contains("250-STARTTLS", ehlo.Lines);
    }

    [Fact]
    public async Task Help_lists_starttls_only_when_offered()
    {
        await using var offered = await _harness.Connect(certificate: _certificate).GreetedAsync();
        await using var plain = await _harness.Connect().GreetedAsync();

        Assert.EndsWith(" STARTTLS", (await offered.ExpectAsync("HELP", "214 2.0.0")).Lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", (await plain.ExpectAsync("HELP", "214 2.0.0")).Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_inside_a_transaction_is_a_bad_sequence()
    {
        await using var smtp = await _harness.Connect(certificate: _certificate).GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("STARTTLS", "503 5.5.1");
    }

    [Fact]
    public async Task Starttls_discards_pipelined_plaintext_and_starts_the_session_over()
    {
        await using var smtp = await _harness.Connect(certificate: _certificate).GreetedAsync();

        // RFC 3207 4 (CVE-2011-0411): a command sent in clear behind STARTTLS must not run inside TLS.
        await smtp.SendAsync("STARTTLS\r\nMAIL FROM:<injected@example.com>\r\n");
        await smtp.ExpectReplyAsync("220 2.0.0");

        await using var tls = new SslStream(smtp.AsStream(), leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(TrustingOurCertificate());
        using var reader = new StreamReader(tls, Encoding.UTF8);

        // The transaction opened in clear is gone, and the first reply inside TLS answers our EHLO.
        await tls.WriteAsync("RCPT TO:<b@example.com>\r\nEHLO client.example\r\n"u8.ToArray());
        Assert.StartsWith("503 5.5.1 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        var ehlo = new List<string>();
        string? line;
        do
        {
            line = await reader.ReadLineAsync();
            ehlo.Add(line!);
        }
        while (line![3] == '-');

        Assert.Equal("250-gateway.test greets client.example", ehlo[0]);
        Assert.DoesNotContain("250-STARTTLS", ehlo);

        await tls.WriteAsync("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"u8.ToArray());
        Assert.StartsWith("250 2.1.0 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("354 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await tls.WriteAsync("Subject: secure\r\n\r\nbody\r\n.\r\nSTARTTLS\r\n"u8.ToArray());
        Assert.StartsWith("250 2.0.0 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("503 5.5.1 ", await reader.ReadLineAsync(), StringComparison.Ordinal);

        var relayed = Assert.Single(_harness.Relayed);
        Assert.Equal("a@example.com", relayed.Envelope.Sender);
        Assert.Contains(" with ESMTPS", Encoding.UTF8.GetString(relayed.Bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_hello_sent_the_moment_220_arrives_is_not_discarded()
    {
        await using var smtp = await _harness.Connect(certificate: _certificate).GreetedAsync();

        // The client starts the handshake as soon as it reads 220, possibly before the server
        // thread has moved past sending it: only bytes that came before the 220 may be dropped.
        smtp.StallNextFlushUntilClientWrites = true;
        await smtp.SendAsync("STARTTLS\r\n");
        await smtp.ExpectReplyAsync("220 2.0.0");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using var tls = new SslStream(smtp.AsStream(), leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(TrustingOurCertificate(), timeout.Token);
        using var reader = new StreamReader(tls, Encoding.UTF8);
        await tls.WriteAsync("NOOP\r\n"u8.ToArray(), timeout.Token);
        Assert.StartsWith("250 2.0.0 ", await reader.ReadLineAsync(timeout.Token), StringComparison.Ordinal);
    }

    private SslClientAuthenticationOptions TrustingOurCertificate() => new()
    {
        TargetHost = "gateway.test",
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _certificate.GetCertHashString(),
    };

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=gateway.test", key, HashAlgorithmName.SHA256);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), password: null);
    }
}
