using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Suppression.Addresses;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Tenants;
using Suppression.Smtp.Tests.Policy;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Server;

/// <summary>SMTP AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN: who may relay from outside the relay networks, and as which tenant.</summary>
public sealed class SmtpAuthTests
{
    private const string Outsider = "203.0.113.9";
    private const string Password = "correct horse battery";

    private static readonly TenantOptions Acme = new()
    {
        Id = "acme",
        SmtpUsers = [new SmtpUserOptions { Username = "acme-mailer", Password = Password }],
    };

    private static readonly TenantOptions Bank = new()
    {
        Id = "bank",
        SmtpUsers = [new SmtpUserOptions { Username = "bank-mailer", PasswordHash = PasswordVerifier.Hash("another long secret", 10_000) }],
    };

    private static readonly TenantDirectory Tenants = new([Acme, Bank]);

    private readonly SessionHarness _harness = new()
    {
        Authenticator = new SmtpAuthenticator([Acme, Bank], Tenants),
        Tenants = Tenants,
    };

    [Fact]
    public async Task Without_tls_auth_is_not_offered_and_refused_538_and_relay_stays_closed()
    {
        await using var smtp = _harness.Connect(Outsider);
        await smtp.ExpectReplyAsync("220");

        var ehlo = await smtp.CommandAsync("EHLO client.example");

        Assert.DoesNotContain(ehlo.Lines, line => line.Contains("AUTH", StringComparison.Ordinal));
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "538 5.7.11");
        await smtp.ExpectAsync("MAIL FROM:<news@acme.example>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<jane@example.com>", "554 5.7.1");
    }

    [Fact]
    public async Task Plain_login_lets_an_outside_client_relay_as_its_tenant()
    {
        _harness.Options.AllowPlaintextAuth = true;
        await using var smtp = _harness.Connect(Outsider);
        await smtp.ExpectReplyAsync("220");

        var ehlo = await smtp.CommandAsync("EHLO client.example");
        Assert.Contains("250-AUTH PLAIN LOGIN", ehlo.Lines);
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "235 2.7.0");
        await smtp.ExpectAsync("MAIL FROM:<news@acme.example> AUTH=<>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<jane@example.com>", "250 2.1.5");
        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(SessionHarness.SampleMessage), "250 2.0.0");

        Assert.Equal(["jane@example.com"], _harness.RelayedRecipients());

        // RFC 3848: logged in without STARTTLS, so ESMTPA.
        Assert.Contains(" with ESMTPA id ", Encoding.UTF8.GetString(Assert.Single(_harness.Relayed).Bytes).Replace("\r\n\t", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tenant_of_the_login_decides_which_opt_outs_apply_and_cannot_be_changed_by_header()
    {
        _harness.Options.AllowPlaintextAuth = true;
        var store = new InMemorySuppressionStore();
        await store.AddAsync(AddressNormalizer.Normalize("jane@example.com"),
            new SuppressionEntry(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, DateTimeOffset.UnixEpoch), TestAudit.Any, CancellationToken.None);
        var policy = new SuppressionRecipientPolicy(store, BlockedRecipientAction.Drop, TimeProvider.System, NullLogger<SuppressionRecipientPolicy>.Instance);
        await using var smtp = await _harness.Connect(Outsider, policy: policy).GreetedAsync();
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "235 2.7.0");

        await smtp.ExpectAsync("MAIL FROM:<news@acme.example>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<jane@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("RCPT TO:<john@example.com>", "250 2.1.5");
        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(SessionHarness.SampleMessage), "250 2.0.0");
        await smtp.ExpectAsync("MAIL FROM:<news@acme.example>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<jane@example.com>", "250 2.1.5");
        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync("X-Suppression-Tenant: bank\r\n" + SessionHarness.SampleMessage), "550 5.7.1");

        Assert.Equal(["john@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task Login_mechanism_asks_for_name_and_password_and_accepts_a_hashed_password()
    {
        _harness.Options.AllowPlaintextAuth = true;
        await using var smtp = await _harness.Connect(Outsider).GreetedAsync();

        Assert.Equal("334 VXNlcm5hbWU6", (await smtp.CommandAsync("AUTH LOGIN")).Last);
        Assert.Equal("334 UGFzc3dvcmQ6", (await smtp.CommandAsync(Base64("bank-mailer"))).Last);
        await smtp.ExpectAsync(Base64("another long secret"), "235 2.7.0");
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("bank-mailer", "another long secret"), "503 5.5.1");
    }

    [Fact]
    public async Task Plain_without_initial_response_gets_an_empty_challenge()
    {
        _harness.Options.AllowPlaintextAuth = true;
        await using var smtp = await _harness.Connect(Outsider).GreetedAsync();

        await smtp.ExpectAsync("AUTH PLAIN", "334");
        await smtp.ExpectAsync(Plain("acme-mailer", Password), "235 2.7.0");
    }

    [Theory]
    [InlineData("AUTH PLAIN *", "501 5.7.0")]
    [InlineData("AUTH PLAIN not-base64!", "501 5.5.2")]
    [InlineData("AUTH CRAM-MD5", "504 5.5.4")]
    [InlineData("AUTH", "501 5.5.4")]
    public async Task Bad_auth_commands_get_the_right_reply_and_the_session_goes_on(string command, string expected)
    {
        _harness.Options.AllowPlaintextAuth = true;
        await using var smtp = await _harness.Connect(Outsider).GreetedAsync();

        await smtp.ExpectAsync(command, expected);
        await smtp.ExpectAsync("NOOP", "250");
    }

    [Fact]
    public async Task Wrong_passwords_get_535_and_after_the_limit_that_name_is_refused_454_while_others_get_in()
    {
        _harness.Options.AllowPlaintextAuth = true;
        _harness.Options.MaxAuthFailures = 3;
        await using var smtp = await _harness.Connect(Outsider).GreetedAsync();

        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", "wrong"), "535 5.7.8");
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("other", "acme-mailer", Password), "501 5.5.2");
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", "wrong again"), "535 5.7.8");
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", "and again"), "535 5.7.8");
        var locked = await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "454 4.7.0");
        Assert.EndsWith("try again in 60 seconds", locked.Last, StringComparison.Ordinal);
        await smtp.ExpectAsync("AUTH PLAIN " + Plain("bank-mailer", "another long secret"), "235 2.7.0");
    }

    [Fact]
    public async Task A_right_password_after_a_wrong_one_gets_in_and_clears_the_failure()
    {
        _harness.Options.AllowPlaintextAuth = true;
        _harness.Options.MaxAuthFailures = 2;
        var server = _harness.Services();
        await using (var first = await new SmtpTranscript(server, System.Net.IPAddress.Parse(Outsider), default).GreetedAsync())
        {
            await first.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", "typo"), "535 5.7.8");
            await first.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "235 2.7.0");
        }

        // Cleared: one more typo is the first again, not the second that would lock the name out.
        await using var second = await new SmtpTranscript(server, System.Net.IPAddress.Parse(Outsider), default).GreetedAsync();
        await second.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", "typo"), "535 5.7.8");
        await second.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "235 2.7.0");
    }

    [Fact]
    public async Task Auth_inside_a_transaction_is_out_of_sequence()
    {
        _harness.Options.AllowPlaintextAuth = true;
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "503 5.5.1");
    }

    [Fact]
    public async Task Without_users_auth_is_not_implemented()
    {
        var harness = new SessionHarness();
        await using var smtp = await harness.Connect().GreetedAsync();

        await smtp.ExpectAsync("AUTH PLAIN " + Plain("acme-mailer", Password), "502 5.5.1");
    }

    [Fact]
    public void Password_hashes_verify_only_their_password_and_bad_ones_are_refused()
    {
        Assert.True(PasswordVerifier.TryParse(PasswordVerifier.Hash("s3cret password", 10_000), out var verifier));
        Assert.True(verifier.Verify("s3cret password"));
        Assert.False(verifier.Verify("s3cret passwore"));
        Assert.False(PasswordVerifier.TryParse("pbkdf2-sha256$100$c2FsdHNhbHQ=$" + Convert.ToBase64String(new byte[32]), out _));
        Assert.False(PasswordVerifier.TryParse("sha1$100000$c2FsdHNhbHQ=$" + Convert.ToBase64String(new byte[32]), out _));
        Assert.False(PasswordVerifier.TryParse("pbkdf2-sha256$100000$c2FsdHNhbHQ=$AAAA", out _));
        Assert.False(PasswordVerifier.TryParse("plain text", out _));
    }

    [Fact]
    public void A_hash_made_by_the_readmes_python_one_liner_verifies()
    {
        // python3: hashlib.pbkdf2_hmac("sha256", b"correct horse battery", b"0123456789abcdef", 10000), base64.
        Assert.True(PasswordVerifier.TryParse("pbkdf2-sha256$10000$MDEyMzQ1Njc4OWFiY2RlZg==$rqRM8zWcxqR5JgdNH2Ukv6ZDL0xynSbmRCDsePeFnOo=", out var verifier));

        Assert.True(verifier.Verify("correct horse battery"));
    }

    private static string Plain(string user, string password) => Plain(string.Empty, user, password);

    private static string Plain(string authorizationId, string user, string password) => Base64($"{authorizationId}\0{user}\0{password}");

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
