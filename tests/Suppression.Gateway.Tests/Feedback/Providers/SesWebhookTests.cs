using System.Net;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// Issue 20 item 3: SES notifications through an SNS HTTPS subscription, signed (SignatureVersion 1
/// and 2) with a self-made key whose certificate the test's SNS stand-in serves. The subscription is
/// confirmed only when its message verifies and its SubscribeURL is on an Amazon host.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class SesWebhookTests(ProviderWebhookFixture fixture) : IClassFixture<ProviderWebhookFixture>
{
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task A_permanent_bounce_of_a_relayed_copy_is_a_hard_bounce(string version)
    {
        var gone = Mail.UniqueAddress("gone");
        var messageId = await fixture.RelayAsync(gone, Mail.UniqueAddress("other"));
        var body = SnsRequests.Signed(SnsRequests.Notification(SnsRequests.Bounce(gone, messageId, Guid.NewGuid().ToString())), fixture.Sns.Key, version);

        var (status, result) = await fixture.PostAsync("ses", body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, result.GetProperty("suppressed").GetInt32());
        var entry = Assert.Single(await fixture.Gateway.EntriesAsync(gone));
        Assert.Equal(("global", "hard-bounce", "provider-event"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        Assert.Equal("ses", Assert.Single(await fixture.AuditAsync(gone)).GetProperty("actor").GetString());
        Assert.Contains(new Uri(SnsRequests.CertificateUrl), fixture.Sns.CertificatesFetched);
    }

    [Fact]
    public async Task A_complaint_of_a_relayed_copy_suppresses_the_tenants_marketing_and_a_resent_one_is_a_duplicate()
    {
        var complainant = Mail.UniqueAddress("complainant");
        var messageId = await fixture.RelayAsync(complainant, Mail.UniqueAddress("other"));
        var body = SnsRequests.Signed(SnsRequests.Notification(SnsRequests.Complaint(complainant, messageId, Guid.NewGuid().ToString())), fixture.Sns.Key, "2");

        var (status, _) = await fixture.PostAsync("ses", body);
        var (_, again) = await fixture.PostAsync("ses", body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        var entry = Assert.Single(await fixture.Gateway.EntriesAsync(complainant));
        Assert.Equal(("tenant:acme", "complaint"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Single(await fixture.AuditAsync(complainant));
    }

    [Fact]
    public async Task A_tampered_message_another_topic_or_a_certificate_off_amazon_is_401_and_changes_nothing()
    {
        var gone = Mail.UniqueAddress("gone");
        var messageId = await fixture.RelayAsync(gone, Mail.UniqueAddress("other"));
        var signed = SnsRequests.Signed(SnsRequests.Notification(SnsRequests.Bounce(Mail.UniqueAddress("someone"), messageId, "f1")), fixture.Sns.Key);
        var tampered = System.Text.Json.Nodes.JsonNode.Parse(signed)!;
        tampered["Message"] = SnsRequests.Bounce(gone, messageId, "f1");
        var otherTopic = SnsRequests.Notification(SnsRequests.Bounce(gone, messageId, "f2"));
        otherTopic["TopicArn"] = "arn:aws:sns:us-west-2:999999999999:someone-elses";
        var offAmazon = SnsRequests.Notification(SnsRequests.Bounce(gone, messageId, "f3"));
        offAmazon["SigningCertURL"] = "https://sns.us-west-2.amazonaws.com.attacker.example/cert.pem";

        var (first, problem) = await fixture.PostAsync("ses", tampered.ToJsonString());
        var (second, _) = await fixture.PostAsync("ses", SnsRequests.Signed(otherTopic, fixture.Sns.Key));
        var (third, certificateProblem) = await fixture.PostAsync("ses", SnsRequests.Signed(offAmazon, fixture.Sns.Key));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (first, second, third));
        Assert.Contains("signature does not match", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("SigningCertURL", certificateProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Sns.CertificatesFetched, url => url.Host.EndsWith("attacker.example", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(gone));
    }

    [Fact]
    public async Task A_signed_subscription_confirmation_is_confirmed_and_a_forged_or_off_amazon_one_is_not()
    {
        var genuine = SnsRequests.SubscriptionConfirmation();
        var subscribeUrl = new Uri(genuine["SubscribeURL"]!.GetValue<string>());
        var forged = SnsRequests.SubscriptionConfirmation("https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=forged");
        forged["Signature"] = Convert.ToBase64String(new byte[256]);
        var offAmazon = SnsRequests.SubscriptionConfirmation("https://attacker.example/?Action=ConfirmSubscription");

        var (confirmed, _) = await fixture.PostAsync("ses", SnsRequests.Signed(genuine, fixture.Sns.Key));
        var (refused, _) = await fixture.PostAsync("ses", forged.ToJsonString());
        var (notVisited, _) = await fixture.PostAsync("ses", SnsRequests.Signed(offAmazon, fixture.Sns.Key));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest), (confirmed, refused, notVisited));
        Assert.Contains(subscribeUrl, fixture.Sns.SubscriptionsConfirmed);
        Assert.DoesNotContain(fixture.Sns.SubscriptionsConfirmed, url => url.Query.Contains("forged", StringComparison.Ordinal) || url.Host == "attacker.example");
    }

    [Fact]
    public async Task A_bounce_of_a_message_the_gateway_did_not_relay_waits_for_review()
    {
        var stranger = Mail.UniqueAddress("stranger");
        var body = SnsRequests.Signed(SnsRequests.Notification(SnsRequests.Bounce(stranger, "not-ours@sender.test", Guid.NewGuid().ToString())), fixture.Sns.Key);

        var (status, result) = await fixture.PostAsync("ses", body);

        Assert.Equal((HttpStatusCode.OK, 1), (status, result.GetProperty("held").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(stranger));
        Assert.Equal("ses", (await fixture.QueuedAsync(stranger))?.GetProperty("kind").GetString());
    }
}
