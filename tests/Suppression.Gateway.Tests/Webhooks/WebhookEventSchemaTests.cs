using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Suppression.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>
/// The published JSON Schema (docs/webhook-events.schema.json, draft 2020-12) and the payloads
/// <see cref="WebhookPayload"/> writes, kept in agreement: every event type, with and without the
/// address, validates (formats included) against the committed file, validated by JsonSchema.Net. The
/// schema allows no field it does not describe, so a field added to the payload alone fails here.
/// </summary>
public sealed class WebhookEventSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "webhook-events.schema.json"))));

    private static readonly EvaluationOptions Strict = new() { RequireFormatValidation = true, OutputFormat = OutputFormat.List };

    private static readonly DateTimeOffset Time = new(2026, 12, 7, 9, 30, 15, 250, TimeSpan.Zero);

    public static TheoryData<string> Types => [.. WebhookEventTypes.All];

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_event_type_validates_with_and_without_the_address_and_with_no_optional_field(string type)
    {
        var full = Event(type, address: type == WebhookEventTypes.ErasureCompleted ? null : "jane.doe@example.org");
        var bare = type == WebhookEventTypes.FeedbackReview
            ? new WebhookEvent(WebhookEventId.OfReview("r1", "0123456789abcdef0123456789abcdef"), type, Time, null, null, null, null, null, null, "dsn", null, null, null, null, null, new WebhookReview("r1", "dsn", "hard-bounce"))
            : new WebhookEvent(WebhookEventId.Of("c-0a1b2", 1), type, Time, null, null, null, null, null, null, "token", "c-0a1b2", 1, null, null, null);

        foreach (var payload in new[] { WebhookPayload.Write(full, includeAddress: true), WebhookPayload.Write(full, includeAddress: false), WebhookPayload.Write(bare, includeAddress: true) })
        {
            AssertValid(payload);
        }
    }

    [Fact]
    public void An_erasure_validates_and_names_no_address_even_for_an_endpoint_that_includes_addresses()
    {
        var payload = WebhookPayload.Write(Event(WebhookEventTypes.ErasureCompleted, address: "jane.doe@example.org"), includeAddress: true);

        AssertValid(payload);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(payload).RootElement.GetProperty("data").GetProperty("address").ValueKind);
    }

    [Fact]
    public void The_schema_names_exactly_the_event_types_the_code_emits()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "webhook-events.schema.json")))!;

        Assert.Equal(WebhookEventTypes.All, schema["properties"]!["type"]!["enum"]!.AsArray().Select(type => type!.GetValue<string>()));
    }

    [Fact]
    public void A_field_the_schema_does_not_describe_an_address_on_an_erasure_or_a_missing_field_is_refused()
    {
        var payload = JsonNode.Parse(WebhookPayload.Write(Event(WebhookEventTypes.BounceHard, "jane.doe@example.org"), includeAddress: true))!;
        var extra = payload.DeepClone();
        extra["data"]!["newField"] = "x";
        var erasure = JsonNode.Parse(WebhookPayload.Write(Event(WebhookEventTypes.ErasureCompleted, null), includeAddress: true))!;
        erasure["data"]!["address"] = "jane.doe@example.org";
        var missing = payload.DeepClone();
        missing["data"]!.AsObject().Remove("chain");
        var badTime = payload.DeepClone();
        badTime["timestamp"] = "yesterday";
        var noChain = payload.DeepClone();
        noChain["data"]!["chain"] = null;
        var review = JsonNode.Parse(WebhookPayload.Write(Event(WebhookEventTypes.FeedbackReview, "jane.doe@example.org"), includeAddress: true))!;
        var reviewWithoutItem = review.DeepClone();
        reviewWithoutItem["data"]!["review"] = null;

        Assert.All(new[] { extra, erasure, missing, badTime, noChain, reviewWithoutItem }, invalid => Assert.False(Evaluate(invalid.ToJsonString()).IsValid, invalid.ToJsonString()));
    }

    // A feedback.review reports a held report, not an audit record: its review item, no chain or sequence.
    private static WebhookEvent Event(string type, string? address) => type == WebhookEventTypes.FeedbackReview
        ? new(WebhookEventId.OfReview("r1", "0123456789abcdef0123456789abcdef"), type, Time, "acme", "newsletter", "topic:acme/newsletter", WebhookEvent.MarketingClass, "hard-bounce", "dsn",
            "dsn", null, null, "<20261207.1@mail.acme.example>", address, "0123456789abcdef0123456789abcdef", new WebhookReview("r1", "dsn", "hard-bounce"))
        : new(WebhookEventId.Of("c-0a1b2", 7), type, Time, "acme", "newsletter", "topic:acme/newsletter", WebhookEvent.MarketingClass, "unsubscribe", "one-click",
            "api-key:admin:3f9a", "c-0a1b2", 7, "<20261207.1@mail.acme.example>", address, "0123456789abcdef0123456789abcdef");

    private static void AssertValid(string payload)
    {
        var results = Evaluate(payload);
        var errors = (results.Details ?? []).Where(detail => detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"));
        Assert.True(results.IsValid, payload + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    private static EvaluationResults Evaluate(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return Schema.Value.Evaluate(document.RootElement, Strict);
    }
}
