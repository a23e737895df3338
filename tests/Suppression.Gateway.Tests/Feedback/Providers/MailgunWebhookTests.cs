using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Layout;
using Suppression.Smtp.Feedback;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// Issue 20 item 3: Mailgun's signed webhooks, through the real host. A permanent failure or a
/// complaint about a copy the gateway relayed suppresses that recipient; a bad or replayed
/// signature is 401 and changes nothing; an event id is taken once; an event the accepted copies
/// do not prove waits for review.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class MailgunWebhookTests(ProviderWebhookFixture fixture) : IClassFixture<ProviderWebhookFixture>
{
    [Fact]
    public async Task A_permanent_failure_of_a_relayed_copy_is_a_hard_bounce_audited_with_the_event_id()
    {
        var gone = Mail.UniqueAddress("gone");
        var other = Mail.UniqueAddress("other");
        var messageId = await fixture.RelayAsync(gone, other);

        var (status, body) = await fixture.PostAsync("mailgun", MailgunRequests.PermanentFailure(gone, messageId, "G9Bn5sl1TC6nu79C8C0bwg-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 1), (body.GetProperty("events").GetInt32(), body.GetProperty("suppressed").GetInt32()));
        var entry = Assert.Single(await fixture.Gateway.EntriesAsync(gone));
        Assert.Equal(("global", "hard-bounce", "provider-event"),
            (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        var record = Assert.Single(await fixture.AuditAsync(gone));
        Assert.Equal(("mailgun", "acme"), (record.GetProperty("actor").GetString(), record.GetProperty("tenant").GetString()));
        Assert.Contains("mailgun event G9Bn5sl1TC6nu79C8C0bwg-", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(other));
    }

    [Fact]
    public async Task A_complaint_about_a_relayed_copy_suppresses_the_tenants_marketing()
    {
        var complainant = Mail.UniqueAddress("complainant");
        var messageId = await fixture.RelayAsync(complainant, Mail.UniqueAddress("other"));

        var (status, _) = await fixture.PostAsync("mailgun", MailgunRequests.Complaint(complainant, messageId, "-Agny091SquKnsrW2NEKUA-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.OK, status);
        var entry = Assert.Single(await fixture.Gateway.EntriesAsync(complainant));
        Assert.Equal(("tenant:acme", "complaint"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_tampered_signature_is_401_and_changes_nothing()
    {
        var gone = Mail.UniqueAddress("gone");
        var messageId = await fixture.RelayAsync(gone, Mail.UniqueAddress("other"));
        var request = JsonNode.Parse(MailgunRequests.PermanentFailure(gone, messageId, Guid.NewGuid().ToString("N")))!;
        var signature = request["signature"]!["signature"]!.GetValue<string>();
        request["signature"]!["signature"] = (signature[0] == '0' ? "1" : "0") + signature[1..];

        var (status, body) = await fixture.PostAsync("mailgun", request.ToJsonString());

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("signature does not match", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(gone));
        Assert.Null(await fixture.QueuedAsync(gone));
    }

    [Fact]
    public async Task A_signature_with_another_key_or_an_old_timestamp_is_401()
    {
        var gone = Mail.UniqueAddress("gone");
        var messageId = await fixture.RelayAsync(gone, Mail.UniqueAddress("other"));
        var eventData = JsonNode.Parse(MailgunRequests.PermanentFailure(gone, messageId, Guid.NewGuid().ToString("N")))!["event-data"]!.AsObject();

        var (wrongKey, _) = await fixture.PostAsync("mailgun", MailgunRequests.Signed((JsonObject)eventData.DeepClone(), key: "key-not-the-configured-one-000000"));
        var (old, body) = await fixture.PostAsync("mailgun", MailgunRequests.Signed((JsonObject)eventData.DeepClone(), timestamp: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()));
        var (unsigned, _) = await fixture.PostAsync("mailgun", new JsonObject { ["event-data"] = eventData.DeepClone() }.ToJsonString());

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (wrongKey, old, unsigned));
        Assert.Contains("timestamp", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(gone));
    }

    [Fact]
    public async Task A_replayed_request_is_401_and_a_resent_event_id_writes_no_second_record()
    {
        var gone = Mail.UniqueAddress("gone");
        var messageId = await fixture.RelayAsync(gone, Mail.UniqueAddress("other"));
        var eventId = Guid.NewGuid().ToString("N");
        var request = MailgunRequests.PermanentFailure(gone, messageId, eventId);

        var (first, _) = await fixture.PostAsync("mailgun", request);
        var (replayed, replayBody) = await fixture.PostAsync("mailgun", request);
        var (resent, resentBody) = await fixture.PostAsync("mailgun", MailgunRequests.PermanentFailure(gone, messageId, eventId));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (first, replayed, resent));
        Assert.Contains("used before", replayBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, resentBody.GetProperty("duplicates").GetInt32());
        Assert.Single(await fixture.AuditAsync(gone));
    }

    [Fact]
    public async Task A_failure_for_a_recipient_the_message_was_not_relayed_to_waits_for_review()
    {
        var stranger = Mail.UniqueAddress("stranger");
        var messageId = await fixture.RelayAsync(Mail.UniqueAddress("one"), Mail.UniqueAddress("two"));

        var (status, body) = await fixture.PostAsync("mailgun", MailgunRequests.PermanentFailure(stranger, messageId, Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0, 1), (body.GetProperty("suppressed").GetInt32(), body.GetProperty("held").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(stranger));
        var item = await fixture.QueuedAsync(stranger);
        Assert.NotNull(item);
        Assert.Equal("mailgun", item.Value.GetProperty("kind").GetString());
        Assert.Equal("hard-bounce", Assert.Single(item.Value.GetProperty("recipients").EnumerateArray()).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_request_the_store_failed_on_is_503_and_the_same_request_sent_again_is_processed_not_refused_as_a_replay()
    {
        var stranger = Mail.UniqueAddress("stranger");
        var messageId = await fixture.RelayAsync(Mail.UniqueAddress("one"));
        var request = MailgunRequests.PermanentFailure(stranger, messageId, Guid.NewGuid().ToString("N"));

        // The review queue's per-network counter made unusable: holding the event fails in the store.
        var database = fixture.Gateway.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var counter = fixture.Gateway.Services.GetRequiredService<RedisKeyLayout>().FeedbackReviewCounterKey(SourceNetwork.Of(IPAddress.Loopback));
        var saved = await database.StringGetAsync(counter);
        var savedLife = await database.KeyTimeToLiveAsync(counter);
        await database.KeyDeleteAsync(counter);
        await database.HashSetAsync(counter, "not", "a counter");
        (HttpStatusCode Status, System.Text.Json.JsonElement Body) failed;
        try
        {
            failed = await fixture.PostAsync("mailgun", request);
        }
        finally
        {
            await database.KeyDeleteAsync(counter);
            if (saved.HasValue)
            {
                await database.StringSetAsync(counter, saved);
                await database.KeyExpireAsync(counter, savedLife ?? TimeSpan.FromMinutes(1));
            }
        }

        var (retried, body) = await fixture.PostAsync("mailgun", request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Equal((1, 1, 0), (body.GetProperty("events").GetInt32(), body.GetProperty("held").GetInt32(), body.GetProperty("duplicates").GetInt32()));
        Assert.NotNull(await fixture.QueuedAsync(stranger));
    }

    [Fact]
    public async Task A_provider_that_is_not_configured_is_404()
    {
        var (status, _) = await fixture.PostAsync("mailchimp", "{}");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
