using System.Net;
using System.Net.Http.Json;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// Issue 4 as a user tries it: from outside the relay networks, relay is refused without AUTH; with
/// AUTH after STARTTLS it works, as the login's tenant, which no header can change; password
/// guessing is cut off per address, across connections.
/// </summary>
public sealed class SmtpAuthTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";

    private readonly TestSmtpSink _sink = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("suppression-auth-");
    private GatewayInstance _gateway = null!;
    private string _thumbprint = string.Empty;

    public async Task InitializeAsync()
    {
        var (certificate, key, thumbprint) = StartTlsTests.WriteSelfSignedPem(_directory.FullName);
        _thumbprint = thumbprint;
        _gateway = await GatewayInstance.StartAsync(null, _sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:CertificatePath"] = certificate,
            ["Suppression:Smtp:CertificateKeyPath"] = key,

            // Loopback is not a relay network here: the test client is "outside".
            ["Suppression:Smtp:RelayNetworks:0"] = "192.0.2.0/24",
            ["Suppression:Smtp:MaxAuthFailures"] = "3",
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:SmtpUsers:0:Username"] = "acme-mailer",
            ["Suppression:Tenants:0:SmtpUsers:0:Password"] = Password,
            ["Suppression:Tenants:1:Id"] = "globex",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Relay_needs_auth_after_starttls_and_the_login_fixes_the_tenant()
    {
        var optedOut = Mail.UniqueAddress("acme-opt-out");
        var reader = Mail.UniqueAddress("reader");
        using (var added = await _gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut, scope = "tenant:acme", reason = "unsubscribe" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        // Without AUTH: no relay.
        using (var anonymous = Client())
        {
            await anonymous.ConnectAsync("127.0.0.1", _gateway.SmtpPort, SecureSocketOptions.StartTls);
            Assert.Contains("PLAIN", anonymous.AuthenticationMechanisms);
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => anonymous.SendAsync(Mail.Create("news@acme.example", [reader])));
            Assert.Equal(SmtpStatusCode.TransactionFailed, refused.StatusCode);
        }

        // With AUTH: relayed as acme, so acme's opt-out applies, even when a header claims globex.
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _gateway.SmtpPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync("acme-mailer", Password);
        await client.SendAsync(Mail.Create("news@acme.example", [optedOut, reader]));
        var spoofed = Mail.Create("news@acme.example", [optedOut]);
        spoofed.Headers.Add("X-Suppression-Tenant", "globex");
        var refusedSpoof = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(spoofed));
        await client.DisconnectAsync(true);

        Assert.Equal(550, (int)refusedSpoof.StatusCode);
        Assert.Equal([reader], _sink.Messages.Select(copy => Assert.Single(copy.Recipients)));

        // RFC 3848: STARTTLS and AUTH both, so ESMTPSA.
        Assert.Contains(" with ESMTPSA id ", Assert.Single(_sink.Messages).Text.Replace("\r\n\t", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_is_not_offered_before_starttls()
    {
        await using var raw = await RawSmtpClient.GreetedAsync(_gateway.SmtpPort, "client.test");

        Assert.StartsWith("538 5.7.11", await raw.CommandAsync("AUTH PLAIN AGFjbWUtbWFpbGVyAHg="));
    }

    [Fact]
    public async Task Guessing_is_cut_off_for_the_address_across_connections()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var guesser = Client();
            await guesser.ConnectAsync("127.0.0.1", _gateway.SmtpPort, SecureSocketOptions.StartTls);

            // MailKit would try LOGIN after PLAIN: one guess per connection here.
            guesser.AuthenticationMechanisms.Remove("LOGIN");
            var wrong = await Assert.ThrowsAsync<AuthenticationException>(() => guesser.AuthenticateAsync("acme-mailer", "guess " + attempt));
            Assert.Contains("5.7.8", wrong.Message + wrong.InnerException?.Message, StringComparison.Ordinal);
        }

        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _gateway.SmtpPort, SecureSocketOptions.StartTls);
        var blocked = await Assert.ThrowsAnyAsync<Exception>(() => client.AuthenticateAsync("acme-mailer", Password));
        Assert.Contains("Too many failed authentication attempts", blocked.Message, StringComparison.Ordinal);
    }

    private SmtpClient Client() => new() { ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _thumbprint };
}
