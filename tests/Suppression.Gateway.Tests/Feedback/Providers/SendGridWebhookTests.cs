using System.Net;
using System.Security.Cryptography;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// Issue 20 item 3: SendGrid's signed Event Webhook, a batch a request. The events about copies the
/// gateway relayed act; a tampered body or a signature by another key is 401 and changes nothing;
/// a replayed batch writes nothing twice; the others wait for review.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class SendGridWebhookTests(ProviderWebhookFixture fixture) : IClassFixture<ProviderWebhookFixture>
{
    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    [Fact]
    public async Task A_batch_suppresses_the_relayed_recipients_it_names_and_holds_the_rest()
    {
        var gone = Mail.UniqueAddress("gone");
        var complainant = Mail.UniqueAddress("complainant");
        var stranger = Mail.UniqueAddress("stranger");
        var messageId = await fixture.RelayAsync(gone, complainant);
        var (body, headers) = SendGridRequests.Signed(
            fixture.SendGridKey,
            SendGridRequests.Bounce(gone, messageId, NewId()),
            SendGridRequests.SpamReport(complainant, messageId, NewId()),
            SendGridRequests.Bounce(stranger, messageId, NewId()),
            SendGridRequests.Delivered(Mail.UniqueAddress("fine"), NewId()));

        var (status, result) = await fixture.PostAsync("sendgrid", body, headers: headers);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((3, 2, 1), (result.GetProperty("events").GetInt32(), result.GetProperty("suppressed").GetInt32(), result.GetProperty("held").GetInt32()));
        var bounce = Assert.Single(await fixture.Gateway.EntriesAsync(gone));
        Assert.Equal(("global", "hard-bounce", "provider-event"), (bounce.GetProperty("scope").GetString(), bounce.GetProperty("reason").GetString(), bounce.GetProperty("source").GetString()));
        var complaint = Assert.Single(await fixture.Gateway.EntriesAsync(complainant));
        Assert.Equal(("tenant:acme", "complaint"), (complaint.GetProperty("scope").GetString(), complaint.GetProperty("reason").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(stranger));
        Assert.NotNull(await fixture.QueuedAsync(stranger));
        Assert.Equal("sendgrid", Assert.Single(await fixture.AuditAsync(gone)).GetProperty("actor").GetString());
    }

    [Fact]
    public async Task A_blocked_bounce_is_soft_and_suppresses_nobody()
    {
        var blocked = Mail.UniqueAddress("blocked");
        var messageId = await fixture.RelayAsync(blocked, Mail.UniqueAddress("other"));
        var (body, headers) = SendGridRequests.Signed(fixture.SendGridKey, SendGridRequests.Bounce(blocked, messageId, NewId(), type: "blocked"));

        var (status, _) = await fixture.PostAsync("sendgrid", body, headers: headers);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(blocked));
    }

    [Fact]
    public async Task A_tampered_body_or_another_keys_signature_is_401_and_changes_nothing()
    {
        var gone = Mail.UniqueAddress("gone");
        var messageId = await fixture.RelayAsync(gone, Mail.UniqueAddress("other"));
        var someone = Mail.UniqueAddress("someone");
        var (body, headers) = SendGridRequests.Signed(fixture.SendGridKey, SendGridRequests.Bounce(someone, messageId, NewId()));
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (otherBody, otherHeaders) = SendGridRequests.Signed(stranger, SendGridRequests.Bounce(gone, messageId, NewId()));

        var (tampered, problem) = await fixture.PostAsync("sendgrid", body.Replace(someone, gone, StringComparison.Ordinal), headers: headers);
        var (otherKey, _) = await fixture.PostAsync("sendgrid", otherBody, headers: otherHeaders);
        var (unsigned, _) = await fixture.PostAsync("sendgrid", otherBody);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (tampered, otherKey, unsigned));
        Assert.Contains("signature does not match", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(gone));
    }

    [Fact]
    public async Task A_replayed_batch_writes_no_second_record()
    {
        var gone = Mail.UniqueAddress("gone");
        var messageId = await fixture.RelayAsync(gone, Mail.UniqueAddress("other"));
        var (body, headers) = SendGridRequests.Signed(fixture.SendGridKey, SendGridRequests.Bounce(gone, messageId, NewId()));

        var (_, first) = await fixture.PostAsync("sendgrid", body, headers: headers);
        var (status, again) = await fixture.PostAsync("sendgrid", body, headers: headers);

        Assert.Equal((1, HttpStatusCode.OK, 1), (first.GetProperty("suppressed").GetInt32(), status, again.GetProperty("duplicates").GetInt32()));
        Assert.Single(await fixture.AuditAsync(gone));
    }
}
