using System.Text.Json;
using Suppression.Smtp.Feedback.Providers;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// SendGrid's Event Webhook: a JSON array of events (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event),
/// signed (<see cref="SendGridSignature"/>). Read: <c>bounce</c> of <c>type</c> bounce (permanent,
/// judged from its <c>status</c> and <c>reason</c>) or blocked (soft), <c>spamreport</c>,
/// <c>unsubscribe</c> and <c>group_unsubscribe</c>. <c>deferred</c> is left out (SendGrid sends one per
/// retry of one message, and a <c>bounce</c> when it gives up), as is <c>dropped</c> (SendGrid never
/// tried: its own suppression list, not a new fact about the mailbox). <c>smtp-id</c> is the
/// message's Message-ID, <c>sg_event_id</c> the event id.
/// </summary>
public sealed class SendGridWebhook : IProviderWebhook
{
    // A batch is at most a few hundred events; more in one request is not SendGrid's.
    private const int MaxEvents = 1000;

    public string Name => FeedbackProviderNames.SendGrid;

    public ValueTask<string?> RefusalAsync(HttpRequest request, ReadOnlyMemory<byte> body, FeedbackProviderOptions entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entry);
        return ValueTask.FromResult(SendGridSignature.Problem(
            entry.PublicKey, request.Headers[SendGridSignature.TimestampHeader].ToString(), request.Headers[SendGridSignature.SignatureHeader].ToString(), body.Span));
    }

    public ValueTask<IReadOnlyList<ProviderEvent>> ReadAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<ProviderEvent>>(Read(body));

    private static List<ProviderEvent> Read(ReadOnlyMemory<byte> body)
    {
        using var document = ProviderJson.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("The body is not a JSON array of events.");
        }

        if (document.RootElement.GetArrayLength() > MaxEvents)
        {
            throw new FormatException($"The body holds more than {MaxEvents} events.");
        }

        var events = new List<ProviderEvent>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var type = item.Text("event");
            var kind = type switch
            {
                "bounce" when item.Text("type") is null or "bounce" => ProviderEventKind.PermanentBounce,
                "bounce" => ProviderEventKind.TransientBounce,
                "spamreport" => ProviderEventKind.Complaint,
                "unsubscribe" or "group_unsubscribe" => ProviderEventKind.Unsubscribe,
                _ => ProviderEventKind.Other,
            };
            if (kind == ProviderEventKind.Other)
            {
                continue;
            }

            var recipient = ProviderJson.Address(item.Text("email")) ?? throw new FormatException("An event's email is not an address.");
            var id = item.Text("sg_event_id") ?? throw new FormatException("An event has no sg_event_id.");
            var described = item.Text("type") is { } bounceType ? $"{type}/{bounceType}" : type!;
            events.Add(new ProviderEvent(id, described, kind, recipient, item.Text("status"), ProviderJson.Diagnostic(item.Text("reason")), item.Text("smtp-id")));
        }

        return events;
    }
}
