using System.Text.Json;
using Suppression.Smtp.Feedback.Providers;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// Amazon SES notifications through an SNS HTTPS subscription: the SNS message's signature is checked
/// (<see cref="SnsMessage"/>) and its TopicArn must be the entry's. A SubscriptionConfirmation is
/// confirmed by visiting its SubscribeURL, only once its signature verifies and only on an Amazon host.
/// The notification (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html, and the
/// event-publishing form with <c>eventType</c>): <c>Bounce</c> (Permanent of subtype General,
/// NoEmail or Suppressed judged from each recipient's status and diagnosticCode, the rest soft, as
/// for SES notification mail) and <c>Complaint</c> (except <c>complaintFeedbackType</c> not-spam).
/// <c>mail.commonHeaders.messageId</c> is the message's Message-ID; the event id is the feedbackId
/// and the recipient.
/// </summary>
public sealed class SesWebhook(ISnsEndpoints endpoints) : IProviderWebhook
{
    public string Name => FeedbackProviderNames.Ses;

    public async ValueTask<string?> RefusalAsync(HttpRequest request, ReadOnlyMemory<byte> body, FeedbackProviderOptions entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        SnsMessage message;
        try
        {
            message = SnsMessage.Parse(body);
        }
        catch (FormatException)
        {
            return "the body is not an SNS message";
        }

        if (!string.Equals(message.TopicArn, entry.TopicArn, StringComparison.Ordinal))
        {
            return "the TopicArn is not the one configured";
        }

        if (!SnsMessage.IsSnsHost(message.SigningCertUrl, out var certificateUrl))
        {
            return "the SigningCertURL is not https on an sns.<region>.amazonaws.com host";
        }

        try
        {
            return message.SignatureProblem(await endpoints.SigningCertificateAsync(certificateUrl, cancellationToken));
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Security.Cryptography.CryptographicException or TaskCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            return "the signing certificate could not be fetched or read";
        }
    }

    public async ValueTask<IReadOnlyList<ProviderEvent>> ReadAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = SnsMessage.Parse(body);
        switch (message.Type)
        {
            case "SubscriptionConfirmation":
                if (!SnsMessage.IsSnsHost(message.SubscribeUrl, out var subscribe))
                {
                    throw new FormatException("The SubscribeURL is not https on an sns.<region>.amazonaws.com host; not visited.");
                }

                await endpoints.ConfirmSubscriptionAsync(subscribe, cancellationToken);
                return [];
            case "Notification":
                return Events(message.Message ?? throw new FormatException("The notification has no Message."));
            default:
                return [];
        }
    }

    private static List<ProviderEvent> Events(string notification)
    {
        using var document = ProviderJson.Parse(System.Text.Encoding.UTF8.GetBytes(notification));
        var root = document.RootElement;
        var type = root.Text("notificationType") ?? root.Text("eventType");
        var messageId = (root.Property("mail") ?? default).Property("commonHeaders") is { } headers ? headers.Text("messageId") : null;
        var events = new List<ProviderEvent>();
        if (type == "Bounce" && root.Property("bounce") is { } bounce)
        {
            var permanent = bounce.Text("bounceType") == "Permanent" && bounce.Text("bounceSubType") is "General" or "NoEmail" or "Suppressed";
            foreach (var recipient in Recipients(bounce, "bouncedRecipients"))
            {
                events.Add(new ProviderEvent(
                    $"{bounce.Text("feedbackId")}/{recipient.Address.Value}", $"Bounce/{bounce.Text("bounceType")}/{bounce.Text("bounceSubType")}",
                    permanent ? ProviderEventKind.PermanentBounce : ProviderEventKind.TransientBounce, recipient.Address,
                    recipient.Element.Text("status"), ProviderJson.Diagnostic(recipient.Element.Text("diagnosticCode")), messageId));
            }
        }
        else if (type == "Complaint" && root.Property("complaint") is { } complaint && complaint.Text("complaintFeedbackType") != "not-spam")
        {
            foreach (var recipient in Recipients(complaint, "complainedRecipients"))
            {
                events.Add(new ProviderEvent(
                    $"{complaint.Text("feedbackId")}/{recipient.Address.Value}", "Complaint", ProviderEventKind.Complaint, recipient.Address, MessageId: messageId));
            }
        }

        if (events.Any(providerEvent => providerEvent.EventId.StartsWith('/')))
        {
            throw new FormatException("The notification has no feedbackId.");
        }

        return events;
    }

    private static IEnumerable<(Suppression.Addresses.NormalizedAddress Address, JsonElement Element)> Recipients(JsonElement detail, string listName)
    {
        if (detail.Property(listName) is not { ValueKind: JsonValueKind.Array } list)
        {
            throw new FormatException($"The notification has no {listName}.");
        }

        foreach (var entry in list.EnumerateArray())
        {
            yield return (ProviderJson.Address(entry.Text("emailAddress")) ?? throw new FormatException("A recipient's emailAddress is not an address."), entry.Clone());
        }
    }
}
