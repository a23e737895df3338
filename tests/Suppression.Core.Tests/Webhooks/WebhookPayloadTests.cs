using System.Text.Json;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Webhooks;

namespace Suppression.Core.Tests.Webhooks;

public class WebhookPayloadTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);

    private static AuditEntry OneClick => new("c-1a2b3", 42, "hash", Now, AuditEventType.Suppressed, "token")
    {
        Address = "jane@example.org",
        AddressHash = "6e29aa00000000000000000000000000",
        Scope = "topic:acme/deals",
        Reason = "unsubscribe",
        Source = "one-click",
        Changed = true,
        Tenant = "acme",
        Topic = "deals",
        MessageId = "<offer-1@acme.example>",
    };

    [Fact]
    public void The_event_id_is_evt_and_26_base32_digits_stable_for_the_record_and_distinct_per_position()
    {
        var id = WebhookEventId.Of("c-1a2b3", 42);

        Assert.Matches("^evt_[a-z2-7]{26}$", id);
        Assert.Equal(id, WebhookEventId.Of("c-1a2b3", 42));
        Assert.NotEqual(id, WebhookEventId.Of("c-1a2b3", 43));
        Assert.NotEqual(id, WebhookEventId.Of("d-1a2b3", 42));
    }

    [Fact]
    public void A_one_click_unsubscribe_is_written_in_the_standard_webhooks_shape_with_every_documented_field()
    {
        var body = WebhookPayload.Write(WebhookEvent.From(OneClick)!, includeAddress: true);

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(["type", "timestamp", "data"], root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("unsubscribe.received", root.GetProperty("type").GetString());
        Assert.Equal("2026-12-07T16:00:00.000Z", root.GetProperty("timestamp").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(
            ["id", "time", "tenant", "topic", "scope", "class", "reason", "source", "actor", "chain", "sequence", "messageId", "address", "addressHash", "review"],
            data.EnumerateObject().Select(property => property.Name));
        Assert.Equal(JsonValueKind.Null, data.GetProperty("review").ValueKind);
        Assert.Equal(WebhookEventId.Of("c-1a2b3", 42), data.GetProperty("id").GetString());
        Assert.Equal(("acme", "deals", "topic:acme/deals", "marketing"), (data.GetProperty("tenant").GetString(), data.GetProperty("topic").GetString(), data.GetProperty("scope").GetString(), data.GetProperty("class").GetString()));
        Assert.Equal(("unsubscribe", "one-click", "token"), (data.GetProperty("reason").GetString(), data.GetProperty("source").GetString(), data.GetProperty("actor").GetString()));
        Assert.Equal(("c-1a2b3", 42L), (data.GetProperty("chain").GetString(), data.GetProperty("sequence").GetInt64()));
        Assert.Equal("<offer-1@acme.example>", data.GetProperty("messageId").GetString());
        Assert.Equal(("jane@example.org", "6e29aa00000000000000000000000000"), (data.GetProperty("address").GetString(), data.GetProperty("addressHash").GetString()));
    }

    [Fact]
    public void An_endpoint_without_IncludeAddress_gets_the_keyed_hash_only()
    {
        var body = WebhookPayload.Write(WebhookEvent.From(OneClick)!, includeAddress: false);

        using var document = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("data").GetProperty("address").ValueKind);
        Assert.Equal("6e29aa00000000000000000000000000", document.RootElement.GetProperty("data").GetProperty("addressHash").GetString());
        Assert.DoesNotContain("jane@", body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_erasure_never_carries_the_address_even_for_an_endpoint_that_includes_addresses()
    {
        var erased = OneClick with { Type = AuditEventType.Erased, Reason = "erasure", Source = "api", Scope = "global", Actor = "api-key:admin:1234" };

        var webhookEvent = WebhookEvent.From(erased)!;
        var body = WebhookPayload.Write(webhookEvent with { Address = "jane@example.org" }, includeAddress: true);

        Assert.Equal(WebhookEventTypes.ErasureCompleted, webhookEvent.Type);
        Assert.Null(webhookEvent.Address);
        Assert.Equal("all", webhookEvent.Class);
        Assert.DoesNotContain("jane@", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_queued_body_loses_its_address_and_keeps_everything_else()
    {
        var body = WebhookPayload.Write(WebhookEvent.From(OneClick)!, includeAddress: true);

        var redacted = WebhookPayload.WithoutAddress(body);

        Assert.Equal(WebhookPayload.Write(WebhookEvent.From(OneClick)!, includeAddress: false), redacted);
        Assert.Equal(("6e29aa00000000000000000000000000", true), WebhookPayload.AddressOf(body));
        Assert.Equal(("6e29aa00000000000000000000000000", false), WebhookPayload.AddressOf(redacted));
    }

    [Fact]
    public void Subscriptions_filter_by_event_and_tenant_and_send_delivery_blocked_only_when_named()
    {
        var everything = new WebhookSubscription("crm", [], [], IncludeAddress: true);
        var acmeBounces = new WebhookSubscription("acme", [WebhookEventTypes.BounceHard, WebhookEventTypes.DeliveryBlocked], ["acme"], IncludeAddress: false);

        Assert.True(everything.Wants(WebhookEventTypes.UnsubscribeReceived, "globex"));
        Assert.False(everything.Wants(WebhookEventTypes.DeliveryBlocked, "acme"));
        Assert.True(acmeBounces.Wants(WebhookEventTypes.DeliveryBlocked, "acme"));
        Assert.True(acmeBounces.Wants(WebhookEventTypes.BounceHard, tenant: null));
        Assert.False(acmeBounces.Wants(WebhookEventTypes.BounceHard, "globex"));
        Assert.False(acmeBounces.Wants(WebhookEventTypes.UnsubscribeReceived, "acme"));
        Assert.False(new[] { everything }.AnyWants(WebhookEventTypes.DeliveryBlocked, null));
    }

    [Fact]
    public void A_held_report_is_a_feedback_review_event_per_recipient_with_the_same_fields_no_chain_and_the_review_item()
    {
        var item = new FeedbackReviewItem(
            "9f3c1a7e5b2d4c6a", Now, "198.51.100.7", "mailgun",
            [
                new ReviewedRecipient("jane@example.org", "complaint", "tenant:acme", "complaint", "provider-event", null, null, "mailgun event 1"),
                new ReviewedRecipient("john@example.org", "soft-bounce", "global", null, null, "4.2.2", "mailbox full", "mailgun event 1"),
            ],
            ReportMessageId: "mailgun-event-1", OriginalMessageId: "<offer-1@acme.example>", Tenant: "acme");

        var jane = WebhookEvent.ForReview(item, item.Recipients[0], "6e29aa00000000000000000000000000");
        var john = WebhookEvent.ForReview(item, item.Recipients[1], "7f30bb00000000000000000000000000");
        var body = WebhookPayload.Write(jane, includeAddress: true);

        using var document = JsonDocument.Parse(body);
        Assert.Equal("feedback.review", document.RootElement.GetProperty("type").GetString());
        var data = document.RootElement.GetProperty("data");
        Assert.Equal(
            ["id", "time", "tenant", "topic", "scope", "class", "reason", "source", "actor", "chain", "sequence", "messageId", "address", "addressHash", "review"],
            data.EnumerateObject().Select(property => property.Name));
        Assert.Matches("^evt_[a-z2-7]{26}$", jane.Id);
        Assert.Equal(jane.Id, WebhookEvent.ForReview(item with { Recipients = [item.Recipients[0]] }, item.Recipients[0], "6e29aa00000000000000000000000000").Id);
        Assert.NotEqual(jane.Id, john.Id);
        Assert.Equal(("acme", "tenant:acme", "marketing", "complaint", "provider-event", "mailgun"),
            (data.GetProperty("tenant").GetString(), data.GetProperty("scope").GetString(), data.GetProperty("class").GetString(),
             data.GetProperty("reason").GetString(), data.GetProperty("source").GetString(), data.GetProperty("actor").GetString()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (data.GetProperty("chain").ValueKind, data.GetProperty("sequence").ValueKind));
        Assert.Equal(("<offer-1@acme.example>", "jane@example.org"), (data.GetProperty("messageId").GetString(), data.GetProperty("address").GetString()));
        var review = data.GetProperty("review");
        Assert.Equal(("9f3c1a7e5b2d4c6a", "mailgun", "complaint"), (review.GetProperty("id").GetString(), review.GetProperty("kind").GetString(), review.GetProperty("verdict").GetString()));
        Assert.DoesNotContain("jane@", WebhookPayload.Write(jane, includeAddress: false), StringComparison.Ordinal);
        Assert.DoesNotContain("jane@", WebhookPayload.WithoutAddress(body), StringComparison.Ordinal);
        Assert.Equal((WebhookEventTypes.FeedbackReview, (string?)null, "acme"), (john.Type, john.Reason, john.Tenant));
    }
}
