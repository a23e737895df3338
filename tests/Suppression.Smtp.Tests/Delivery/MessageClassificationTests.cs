using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Suppression.Addresses;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Tenants;
using Suppression.Smtp.Tests.Policy;
using Suppression.Smtp.Tests.Server;
using Suppression.Smtp.Unsubscribe;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.Tests.Delivery;

/// <summary>
/// The consent model through a session: which opt-outs apply to a message is decided by its class,
/// tenant and topic, read from the X-Suppression-* headers (removed before relaying) and List-Id.
/// </summary>
public sealed class MessageClassificationTests
{
    private static readonly DateTimeOffset Time = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SessionHarness _harness = new()
    {
        Tenants = new TenantDirectory(
        [
            new TenantOptions { Id = "acme", AllowTransactional = true },
            new TenantOptions { Id = "bank", DefaultClass = MessageClass.Transactional, AllowTransactional = true },
            new TenantOptions { Id = "branch", Networks = ["192.0.2.0/24"] },
            new TenantOptions { Id = "shop" },
        ]),
    };

    private readonly InMemorySuppressionStore _store = new();

    // The consent model's table, row by row: (entry scope, entry reason, message tenant, topic, class) -> delivered?
    [Theory]
    [InlineData("global", SuppressionReason.Unsubscribe, null, null, "marketing", false)]
    [InlineData("global", SuppressionReason.Unsubscribe, "acme", "deals", "marketing", false)]
    [InlineData("global", SuppressionReason.Unsubscribe, "acme", "deals", "transactional", true)]
    [InlineData("global", SuppressionReason.Complaint, "acme", null, "marketing", false)]
    [InlineData("global", SuppressionReason.Complaint, "acme", null, "transactional", true)]
    [InlineData("global", SuppressionReason.Import, "acme", null, "transactional", true)]
    [InlineData("tenant:acme", SuppressionReason.Unsubscribe, "acme", "deals", "marketing", false)]
    [InlineData("tenant:acme", SuppressionReason.Unsubscribe, "acme", null, "marketing", false)]
    [InlineData("tenant:acme", SuppressionReason.Unsubscribe, "acme", null, "transactional", true)]
    [InlineData("tenant:acme", SuppressionReason.Unsubscribe, "bank", null, "marketing", true)]
    [InlineData("tenant:acme", SuppressionReason.Unsubscribe, null, null, "marketing", false)]
    [InlineData("tenant:bank", SuppressionReason.Complaint, null, null, "marketing", false)]
    [InlineData("topic:acme/deals", SuppressionReason.Unsubscribe, "acme", "deals", "marketing", false)]
    [InlineData("topic:acme/deals", SuppressionReason.Unsubscribe, "acme", "news", "marketing", true)]
    [InlineData("topic:acme/deals", SuppressionReason.Unsubscribe, "acme", null, "marketing", true)]
    [InlineData("topic:acme/deals", SuppressionReason.Unsubscribe, "acme", "deals", "transactional", true)]
    [InlineData("topic:acme/deals", SuppressionReason.Manual, "acme", "deals", "transactional", false)]
    [InlineData("tenant:acme", SuppressionReason.HardBounce, "acme", null, "transactional", false)]
    [InlineData("tenant:acme", SuppressionReason.Erasure, "bank", null, "transactional", true)]
    [InlineData("global", SuppressionReason.HardBounce, "bank", null, "transactional", false)]
    [InlineData("global", SuppressionReason.Manual, "acme", null, "transactional", false)]
    [InlineData("global", SuppressionReason.Erasure, "acme", "deals", "marketing", false)]
    public async Task The_class_tenant_and_topic_decide_which_opt_outs_apply(
        string scope, SuppressionReason reason, string? tenant, string? topic, string messageClass, bool delivered)
    {
        await SuppressAsync("jane@example.com", scope, reason);
        var headers = (tenant is null ? string.Empty : $"X-Suppression-Tenant: {tenant}\r\n")
            + (topic is null ? string.Empty : $"X-Suppression-Topic: {topic}\r\n")
            + $"X-Suppression-Class: {messageClass}\r\n";

        var reply = await SendAsync(headers, "jane@example.com", "john@example.com");

        SmtpTranscriptExtensions.AssertReply(reply, "250 2.0.0");
        Assert.Equal(delivered ? ["jane@example.com", "john@example.com"] : ["john@example.com"], _harness.RelayedRecipients());
        if (!delivered)
        {
            var blocked = Assert.Single(_harness.Blocked);
            Assert.Equal("jane@example.com", blocked.Recipient.Value);
            Assert.Equal(scope, blocked.Scope.ToString());
        }
    }

    [Fact]
    public async Task Instruction_headers_are_removed_before_relaying_and_the_rest_is_untouched()
    {
        SmtpTranscriptExtensions.AssertReply(
            await SendAsync("X-Suppression-Tenant: acme\r\nx-suppression-topic: deals\r\nX-Suppression-Class: marketing\r\nX-Suppression-Future: whatever\r\n", "jane@example.com"),
            "250 2.0.0");

        var relayed = Encoding.UTF8.GetString(Assert.Single(_harness.Relayed).Bytes);
        Assert.DoesNotContain("suppression", relayed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Subject: test\r\n", relayed, StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_instructions_keeps_every_other_field_in_order_with_its_bytes()
    {
        var message = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(
            "Received: from a\r\nX-Suppression-Note-1: x\r\nFrom:  <a@example.com>\r\nX-SUPPRESSION-Note-2: y\r\n"
            + "To: b@example.org\r\nSubject: odd\r\n  folding\r\nX-Suppression-Note-3: z\r\nX-Other: kept\r\n\r\nbody\r\n")));

        MessageClassifier.RemoveInstructions(message);

        Assert.Equal(["Received", "From", "To", "Subject", "X-Other"], message.Headers.Select(header => header.Field));
        using var written = new MemoryStream();
        var crlf = MimeKit.FormatOptions.Default.Clone();
        crlf.NewLineFormat = MimeKit.NewLineFormat.Dos;
        message.Headers.WriteTo(crlf, written);
        Assert.Equal(
            "Received: from a\r\nFrom:  <a@example.com>\r\nTo: b@example.org\r\nSubject: odd\r\n  folding\r\nX-Other: kept\r\n\r\n",
            Encoding.ASCII.GetString(written.ToArray()));
        Assert.Equal("b@example.org", Assert.Single(message.To.Mailboxes).Address);
    }

    [Fact]
    public async Task The_topic_comes_from_list_id_when_no_header_names_one()
    {
        await SuppressAsync("jane@example.com", "topic:acme/weekly.acme.example", SuppressionReason.Unsubscribe);

        await SendAsync("X-Suppression-Tenant: acme\r\nList-Id: Acme Weekly Deals <Weekly.Acme.Example>\r\n", "jane@example.com", "john@example.com");

        Assert.Equal(["john@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task A_tenants_default_class_applies_when_the_message_does_not_say()
    {
        await SuppressAsync("jane@example.com", "global", SuppressionReason.Unsubscribe);

        await SendAsync("X-Suppression-Tenant: bank\r\n", "jane@example.com");
        await SendAsync("X-Suppression-Tenant: acme\r\n", "jane@example.com");

        // bank's mail is transactional by default and reaches her; acme's is marketing and does not.
        Assert.Equal(["jane@example.com"], _harness.RelayedRecipients());
    }

    [Theory]
    [InlineData("X-Suppression-Tenant: nobody\r\n", "550 5.7.1")]
    [InlineData("X-Suppression-Class: newsletter\r\n", "554 5.6.0")]
    [InlineData("X-Suppression-Tenant: acme\r\nX-Suppression-Tenant: bank\r\n", "554 5.6.0")]
    [InlineData("X-Suppression-Topic: deals\r\n", "550 5.7.1")]
    [InlineData("X-Suppression-Class: transactional\r\n", "550 5.7.1")]
    [InlineData("X-Suppression-Tenant: shop\r\nX-Suppression-Class: Transactional\r\n", "550 5.7.1")]
    [InlineData("X-Suppression-Tenant: acme\r\nX-Suppression-Topic: has space\r\n", "554 5.6.0")]
    public async Task Bad_instructions_refuse_the_message_with_a_reason_and_relay_nothing(string headers, string expected)
    {
        SmtpTranscriptExtensions.AssertReply(await SendAsync(headers, "jane@example.com"), expected);

        Assert.Empty(_harness.Relayed);
    }

    [Fact]
    public async Task A_client_bound_to_a_tenant_by_network_sends_for_it_and_cannot_name_another()
    {
        await SuppressAsync("jane@example.com", "tenant:branch", SuppressionReason.Unsubscribe);
        _harness.Options.RelayNetworks = [];

        await using (var smtp = await _harness.Connect(clientAddress: "192.0.2.10", policy: Policy()).GreetedAsync())
        {
            await smtp.ExpectAsync("MAIL FROM:<news@branch.example>", "250 2.1.0");
            await smtp.ExpectAsync("RCPT TO:<jane@example.com>", "250 2.1.5");
            await smtp.ExpectAsync("RCPT TO:<john@example.com>", "250 2.1.5");
            SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(SessionHarness.SampleMessage), "250 2.0.0");
            await smtp.ExpectAsync("MAIL FROM:<news@branch.example>", "250 2.1.0");
            await smtp.ExpectAsync("RCPT TO:<john@example.com>", "250 2.1.5");
            SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync("X-Suppression-Tenant: acme\r\n" + SessionHarness.SampleMessage), "550 5.7.1");
        }

        Assert.Equal(["john@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task Transactional_mail_is_not_stamped_and_marketing_links_name_tenant_and_topic()
    {
        var codec = new UnsubscribeTokenCodec(new TokenKeyRing([new TokenKey(1, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))]));
        _harness.CopyWriter = new RecipientCopyWriter(new UnsubscribeStamping(codec, new ListUnsubscribeStamper(new Uri("https://u.example/"))), signer: null);

        await SendAsync("X-Suppression-Tenant: acme\r\nX-Suppression-Class: transactional\r\n", "jane@example.com");
        await SendAsync("X-Suppression-Tenant: acme\r\nX-Suppression-Topic: Deals\r\n", "jane@example.com");

        var transactional = Encoding.UTF8.GetString(_harness.Relayed[0].Bytes);
        var marketing = MimeKit.MimeMessage.Load(new MemoryStream(_harness.Relayed[1].Bytes));
        Assert.DoesNotContain("List-Unsubscribe", transactional, StringComparison.OrdinalIgnoreCase);
        var link = marketing.Headers["List-Unsubscribe"]!;
        var token = link[(link.IndexOf("/u/", StringComparison.Ordinal) + 3)..link.IndexOf('>', StringComparison.Ordinal)];
        Assert.True(codec.TryDecode(token, DateTimeOffset.UtcNow, out var decoded, out _));
        Assert.Equal(("acme", "deals"), (decoded.Tenant, decoded.Topic));
    }

    private async Task<SmtpResponse> SendAsync(string headers, params string[] recipients)
    {
        await using var smtp = await _harness.Connect(policy: Policy()).GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<news@client.example>", "250 2.1.0");
        foreach (var recipient in recipients)
        {
            await smtp.ExpectAsync($"RCPT TO:<{recipient}>", "250 2.1.5");
        }

        return await smtp.SendMessageAsync(headers + SessionHarness.SampleMessage);
    }

    private SuppressionRecipientPolicy Policy() =>
        new(_store, BlockedRecipientAction.Drop, TimeProvider.System, NullLogger<SuppressionRecipientPolicy>.Instance);

    private async Task SuppressAsync(string address, string scope, SuppressionReason reason)
    {
        Assert.True(SuppressionScope.TryParse(scope, out var parsed), scope);
        await _store.AddAsync(AddressNormalizer.Normalize(address), new SuppressionEntry(parsed, reason, SuppressionSource.Api, Time), TestAudit.Any, CancellationToken.None);
    }
}
