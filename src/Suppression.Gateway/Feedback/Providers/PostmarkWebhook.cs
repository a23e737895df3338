using Suppression.Smtp.Feedback.Providers;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// Postmark's webhooks, one record a request, authenticated as Postmark does it: HTTP basic auth with
/// the credentials written into the webhook URL (https://postmarkapp.com/developer/webhooks/webhooks-overview,
/// "Protecting your webhook"). Records read: <c>Bounce</c> (https://postmarkapp.com/developer/webhooks/bounce-webhook;
/// <c>Type</c> HardBounce or BadEmailAddress is permanent, SoftBounce, Transient and DnsError are
/// transient, the rest say nothing about the mailbox), <c>SpamComplaint</c>
/// (https://postmarkapp.com/developer/webhooks/spam-complaint-webhook) and <c>SubscriptionChange</c>
/// (https://postmarkapp.com/developer/webhooks/subscription-change-webhook) when the recipient
/// unsubscribed (<c>SuppressionReason</c> ManualSuppression, <c>SuppressSending</c> true).
/// Postmark's <c>MessageID</c> is its own id, not the message's Message-ID header, so its events
/// never prove which copy they are about.
/// </summary>
public sealed class PostmarkWebhook : IProviderWebhook
{
    public string Name => FeedbackProviderNames.Postmark;

    public ValueTask<string?> RefusalAsync(HttpRequest request, ReadOnlyMemory<byte> body, FeedbackProviderOptions entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entry);
        return ValueTask.FromResult(BasicCredentials.Match(request.Headers.Authorization.ToString(), entry.Username ?? string.Empty, entry.Password ?? string.Empty)
            ? null
            : "the basic-auth credentials are missing or are not the ones configured for Postmark");
    }

    public ValueTask<IReadOnlyList<ProviderEvent>> ReadAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => ValueTask.FromResult(Read(body));

    private static IReadOnlyList<ProviderEvent> Read(ReadOnlyMemory<byte> body)
    {
        using var document = ProviderJson.Parse(body);
        var record = document.RootElement;
        var recordType = record.Text("RecordType") ?? throw new FormatException("The record has no RecordType.");
        var (kind, recipientField, eventId) = recordType switch
        {
            "Bounce" => (BounceKind(record.Text("Type")), "Email", record.Text("ID")),
            "SpamComplaint" => (ProviderEventKind.Complaint, "Email", record.Text("ID")),

            // A subscription change has no id of its own: the message, the recipient and the time make one.
            "SubscriptionChange" when record.Text("SuppressionReason") == "ManualSuppression" && record.Text("SuppressSending") == "true" =>
                (ProviderEventKind.Unsubscribe, "Recipient", $"{record.Text("MessageID")}/{record.Text("Recipient")}/{record.Text("ChangedAt")}"),
            _ => (ProviderEventKind.Other, null, null),
        };
        if (kind == ProviderEventKind.Other)
        {
            return [];
        }

        var recipient = ProviderJson.Address(record.Text(recipientField!)) ?? throw new FormatException($"The record's {recipientField} is not an address.");
        if (string.IsNullOrEmpty(eventId))
        {
            throw new FormatException("The record has no ID.");
        }

        var type = record.Text("Type") is { } bounceType && recordType == "Bounce" ? $"{recordType}/{bounceType}" : recordType;
        return [new ProviderEvent(eventId, type, kind, recipient, Diagnostic: ProviderJson.Diagnostic(record.Text("Details")))];
    }

    // The bounce types of https://postmarkapp.com/developer/api/bounce-api#bounce-types.
    private static ProviderEventKind BounceKind(string? type) => type switch
    {
        "HardBounce" or "BadEmailAddress" => ProviderEventKind.PermanentBounce,
        "SoftBounce" or "Transient" or "DnsError" => ProviderEventKind.TransientBounce,
        _ => ProviderEventKind.Other,
    };
}
