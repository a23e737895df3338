using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Smtp;

public sealed class StartTlsTests
{
    [Fact]
    public async Task Client_upgrades_with_starttls_and_the_message_is_relayed_as_esmtps()
    {
        var directory = Directory.CreateTempSubdirectory("suppression-tls-").FullName;
        var (certificatePath, keyPath, thumbprint) = WriteSelfSignedPem(directory);
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:CertificatePath"] = certificatePath,
            ["Suppression:Smtp:CertificateKeyPath"] = keyPath,
        });

        // Trust exactly the certificate this test made, nothing else.
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint };
        await client.ConnectAsync("127.0.0.1", gateway.SmtpPort, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        await client.SendAsync(Mail.Create("a@sender.test", ["b@example.com"]));
        await client.DisconnectAsync(true);

        Assert.Contains("with ESMTPS id", Assert.Single(sink.Messages).Text.Replace("\r\n\t", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_is_not_offered_without_a_certificate()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null);
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.ReadReplyAsync();

        Assert.DoesNotContain("STARTTLS", await client.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        Assert.StartsWith("502 5.5.1", await client.CommandAsync("STARTTLS"));
    }

    // RFC 3207 4.2: after the handshake the server MUST discard what it knew from the client, AUTH
    // included; otherwise a login made in clear text (AllowPlaintextAuth) carries over into the
    // TLS session, where a man in the middle who injected it would be trusted.
    [Fact]
    public async Task Auth_before_starttls_is_forgotten_after_it_so_relay_from_outside_is_refused()
    {
        const string Password = "correct horse battery staple";
        var directory = Directory.CreateTempSubdirectory("suppression-tls-").FullName;
        var (certificatePath, keyPath, thumbprint) = WriteSelfSignedPem(directory);
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:CertificatePath"] = certificatePath,
            ["Suppression:Smtp:CertificateKeyPath"] = keyPath,
            ["Suppression:Smtp:AllowPlaintextAuth"] = "true",
            ["Suppression:Smtp:RelayNetworks:0"] = "192.0.2.0/24",
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:SmtpUsers:0:Username"] = "acme-mailer",
            ["Suppression:Tenants:0:SmtpUsers:0:Password"] = Password,
        });
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "client.test");
        var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0acme-mailer\0" + Password));
        Assert.StartsWith("235", await client.CommandAsync("AUTH PLAIN " + credentials));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@acme.example>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync("RCPT TO:<reader@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RSET"));

        Assert.StartsWith("220", await client.CommandAsync("STARTTLS"));
        await client.UpgradeToTlsAsync(thumbprint);
        Assert.Contains("AUTH PLAIN", await client.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@acme.example>"));

        Assert.StartsWith("554 5.7.1", await client.CommandAsync("RCPT TO:<reader@example.com>"));
        Assert.StartsWith("554 5.5.1", await client.CommandAsync("DATA"));
        Assert.Empty(sink.Messages);
        Directory.Delete(directory, recursive: true);
    }

    internal static (string Certificate, string Key, string Thumbprint) WriteSelfSignedPem(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=gateway.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, certificate.GetCertHashString());
    }
}
