using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;
using Suppression.Testing.Dkim;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// Issue 17 item 6: a tenant's <c>Suppression:Tenants:N:FeedbackId</c> is on every relayed copy of its
/// mail, in place of whatever the client wrote, and the gateway's DKIM signature covers it (Gmail
/// reads it only then); mail of no tenant gets none. Checked on the bytes the upstream receives,
/// with python3-dkim as the verifier.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed partial class FeedbackIdTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    [DkimVerifierFact]
    public async Task Each_copy_of_a_tenants_mail_carries_its_feedback_id_in_place_of_the_clients_and_the_signature_covers_it()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var message = Mail.Create("news@" + UnsubscribeFixture.AcmeSignedDomain, [Mail.UniqueAddress("first"), Mail.UniqueAddress("second")]);
        message.Headers.Add("X-Suppression-Tenant", "acme");

        // What another tenant's id would look like: a client must not be able to send under it.
        message.Headers.Add("Feedback-ID", "spring:newsletter:bank");
        message.Headers.Add("feedback-id", "second:bank");

        await Mail.SendAsync(gateway.SmtpPort, message);

        Assert.Equal(2, fixture.Sink.Messages.Count);
        foreach (var copy in fixture.Sink.Messages)
        {
            var relayed = MimeMessage.Load(new MemoryStream(copy.Data));
            var feedbackId = Assert.Single(relayed.Headers, header => header.Field.Equals("Feedback-ID", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(UnsubscribeFixture.AcmeFeedbackId, feedbackId.Value.Trim());

            // Signed, and oversigned: a Feedback-ID added on the way breaks the signature too.
            var signature = Assert.Single(relayed.Headers, header => header.Id == HeaderId.DkimSignature).Value;
            Assert.Contains("d=acme.test", signature, StringComparison.Ordinal);
            Assert.Equal(2, SignedFields(signature).Count(field => field == "feedback-id"));
            var verification = await PythonDkimVerifier.VerifyAsync(copy.Data, fixture.DkimTxtRecord);
            Assert.True(verification.Verified, verification.Log);

            var altered = await PythonDkimVerifier.VerifyAsync(Replace(copy.Data, "spring:newsletter:acme", "spring:newsletter:bank"), fixture.DkimTxtRecord);
            Assert.False(altered.Verified, "the signature still verifies with another Feedback-ID");
        }
    }

    [DkimVerifierFact]
    public async Task Mail_of_no_tenant_gets_no_feedback_id_and_a_clients_own_is_not_signed_by_the_gateway()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var bare = Mail.Create("news@" + UnsubscribeFixture.SignedDomain, [Mail.UniqueAddress("bare")]);
        var claimed = Mail.Create("news@" + UnsubscribeFixture.SignedDomain, [Mail.UniqueAddress("claimed")]);
        claimed.Headers.Add("Feedback-ID", "spring:newsletter:acme");

        await Mail.SendAsync(gateway.SmtpPort, bare);
        await Mail.SendAsync(gateway.SmtpPort, claimed);

        Assert.Equal(2, fixture.Sink.Messages.Count);
        var relayed = fixture.Sink.Messages.Select(copy => MimeMessage.Load(new MemoryStream(copy.Data))).ToList();
        Assert.Single(relayed, message => !message.Headers.Contains("Feedback-ID"));

        // The client's own passes as it came, outside the gateway's signature: it vouches for no id it did not set.
        Assert.Equal("spring:newsletter:acme", Assert.Single(relayed, message => message.Headers.Contains("Feedback-ID")).Headers["Feedback-ID"]!.Trim());
        Assert.All(relayed, message => Assert.DoesNotContain("feedback-id", SignedFields(message.Headers[HeaderId.DkimSignature]!)));

        foreach (var copy in fixture.Sink.Messages)
        {
            var verification = await PythonDkimVerifier.VerifyAsync(copy.Data, fixture.DkimTxtRecord);
            Assert.True(verification.Verified, verification.Log);
        }
    }

    private static string[] SignedFields(string signature) =>
        SignedFieldsPattern().Match(Regex.Replace(signature, @"\s+", string.Empty)).Groups["fields"].Value.ToLowerInvariant().Split(':');

    private static byte[] Replace(byte[] data, string original, string replacement)
    {
        var text = Encoding.Latin1.GetString(data);
        Assert.Contains(original, text, StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text.Replace(original, replacement, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"(?:^|;)h=(?<fields>[^;]+)")]
    private static partial Regex SignedFieldsPattern();
}
