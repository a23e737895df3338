using System.Net;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Testing.Dkim;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// Issue 3's acceptance, as a new user tries it: marketing mail through the real gateway arrives
/// stamped per recipient and signed; the link's GET changes nothing and one POST stops the very next
/// message to that recipient only.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed partial class StampedMailTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    private static readonly Dictionary<string, string> OneClickBody = new() { ["List-Unsubscribe"] = "One-Click" };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Each_recipient_gets_a_copy_with_its_own_link_and_a_signature_over_both_headers(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var first = Mail.UniqueAddress("first");
        var second = Mail.UniqueAddress("second");

        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@" + UnsubscribeFixture.SignedDomain, [first, second]));

        Assert.Equal(2, fixture.Sink.Messages.Count);
        var tokens = new List<string>();
        foreach (var copy in fixture.Sink.Messages)
        {
            var recipient = Assert.Single(copy.Recipients);
            var message = MimeMessage.Load(new MemoryStream(copy.Data));
            var listUnsubscribe = Assert.Single(message.Headers, header => header.Field == "List-Unsubscribe").Value;
            Assert.Equal("List-Unsubscribe=One-Click", Assert.Single(message.Headers, header => header.Field == "List-Unsubscribe-Post").Value);
            var link = LinkPattern().Match(listUnsubscribe);
            Assert.True(link.Success, listUnsubscribe);
            Assert.Equal(gateway.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), link.Groups["port"].Value);
            Assert.Contains($"<mailto:unsubscribe@gateway.test?subject=unsubscribe-{link.Groups["token"].Value}>", listUnsubscribe, StringComparison.Ordinal);
            Assert.DoesNotContain("example.com", listUnsubscribe, StringComparison.OrdinalIgnoreCase);
            Assert.True(fixture.Codec.TryDecode(link.Groups["token"].Value, DateTimeOffset.UtcNow, out var token, out _));
            Assert.Equal(recipient, token.Recipient.Value);
            tokens.Add(link.Groups["token"].Value);

            var signature = Assert.Single(message.Headers, header => header.Id == HeaderId.DkimSignature).Value;
            var signedFields = SignedFieldsPattern().Match(Whitespace().Replace(signature, string.Empty)).Groups["fields"].Value.ToLowerInvariant().Split(':');
            Assert.Contains("list-unsubscribe", signedFields);
            Assert.Contains("list-unsubscribe-post", signedFields);
            Assert.Contains("d=sender.test", signature, StringComparison.Ordinal);
        }

        Assert.NotEqual(tokens[0], tokens[1]);
    }

    [DkimVerifierFact]
    public async Task Every_copy_verifies_with_python3_dkim()
    {
        var gateway = await fixture.GatewayAsync("embedded");

        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@" + UnsubscribeFixture.SignedDomain, [Mail.UniqueAddress("a"), Mail.UniqueAddress("b")]));

        Assert.Equal(2, fixture.Sink.Messages.Count);
        foreach (var copy in fixture.Sink.Messages)
        {
            var verification = await PythonDkimVerifier.VerifyAsync(copy.Data, fixture.DkimTxtRecord);
            Assert.True(verification.Verified, verification.Log);
            Assert.Equal(["sel._domainkey.sender.test."], verification.QueriedNames);
        }
    }

    // Any relay client could otherwise get a valid signature for every configured domain by putting
    // it in From: a signature vouches for the domain, so only the tenants given the signer get one.
    [DkimVerifierTheory]
    [InlineData("acme", true)]
    [InlineData(null, false)]
    [InlineData("bank", false)]
    public async Task A_signer_signs_only_mail_of_the_tenants_it_is_given(string? tenant, bool expectSignature)
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var message = Mail.Create("ceo@" + UnsubscribeFixture.AcmeSignedDomain, [Mail.UniqueAddress("reader")]);
        if (tenant is not null)
        {
            message.Headers.Add("X-Suppression-Tenant", tenant);
            message.Headers.Add("X-Suppression-Class", "marketing");
        }

        await Mail.SendAsync(gateway.SmtpPort, message);

        var copy = Assert.Single(fixture.Sink.Messages);
        var relayed = MimeMessage.Load(new MemoryStream(copy.Data));
        Assert.Equal(expectSignature, relayed.Headers.Contains(HeaderId.DkimSignature));
        if (expectSignature)
        {
            Assert.Contains("d=acme.test", relayed.Headers[HeaderId.DkimSignature], StringComparison.Ordinal);
            var verification = await PythonDkimVerifier.VerifyAsync(copy.Data, fixture.DkimTxtRecord);
            Assert.True(verification.Verified, verification.Log);
        }
    }

    [Fact]
    public async Task A_tenants_mail_is_not_signed_by_a_signer_for_mail_of_no_tenant()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var message = Mail.Create("news@" + UnsubscribeFixture.SignedDomain, [Mail.UniqueAddress("reader")]);
        message.Headers.Add("X-Suppression-Tenant", "acme");

        await Mail.SendAsync(gateway.SmtpPort, message);

        var relayed = MimeMessage.Load(new MemoryStream(Assert.Single(fixture.Sink.Messages).Data));
        Assert.False(relayed.Headers.Contains(HeaderId.DkimSignature));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_on_the_link_changes_nothing_and_one_post_stops_the_very_next_message_to_that_recipient_only(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var leaving = Mail.UniqueAddress("leaving");
        var staying = Mail.UniqueAddress("staying");
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [leaving, staying]));
        var link = LinkOf(fixture.Sink.Messages.Single(copy => copy.Recipients[0] == leaving));

        // A link scanner's GET.
        using (var shown = await fixture.Client.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        }

        fixture.Sink.Messages.Clear();
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [leaving, staying]));
        Assert.Equal([leaving, staying], fixture.Sink.Messages.Select(copy => copy.Recipients[0]));

        // The mailbox provider's one-click POST (RFC 8058 3.2).
        using (var unsubscribed = await fixture.Client.PostAsync(link, new FormUrlEncodedContent(OneClickBody)))
        {
            Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        }

        fixture.Sink.Messages.Clear();
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [leaving, staying]));
        Assert.Equal([staying], fixture.Sink.Messages.Select(copy => copy.Recipients[0]));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_partly_failed_message_is_deferred_and_its_retry_sends_only_the_failed_copy(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var lucky = Mail.UniqueAddress("lucky");
        var unlucky = Mail.UniqueAddress("unlucky");
        var message = Mail.Create("news@sender.test", [lucky, unlucky]);
        fixture.Sink.DataReply = copy => copy.Recipients[0] == unlucky ? "451 4.2.0 mailbox busy, try later" : null;
        try
        {
            var deferred = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(gateway.SmtpPort, message));
            Assert.Equal(451, (int)deferred.StatusCode);
            Assert.Equal([lucky], fixture.Sink.Messages.Select(copy => copy.Recipients[0]));
        }
        finally
        {
            fixture.Sink.DataReply = _ => null;
        }

        // The client's retry: the same message, so the same Message-ID.
        await Mail.SendAsync(gateway.SmtpPort, message);

        Assert.Equal([lucky, unlucky], fixture.Sink.Messages.Select(copy => copy.Recipients[0]));
    }

    private static Uri LinkOf(ReceivedMessage copy)
    {
        var listUnsubscribe = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var match = LinkPattern().Match(listUnsubscribe);
        Assert.True(match.Success, listUnsubscribe);
        return new Uri(match.Groups["link"].Value);
    }

    [GeneratedRegex(@"^<(?<link>http://127\.0\.0\.1:(?<port>\d+)/u/(?<token>[A-Za-z0-9_-]+))>")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?:^|;)h=(?<fields>[^;]+)")]
    private static partial Regex SignedFieldsPattern();
}
