using Suppression.Feedback;
using Suppression.Smtp.Feedback.Providers;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// Mailgun's webhooks (JSON: <c>{"signature": {...}, "event-data": {...}}</c>, one event a request;
/// https://documentation.mailgun.com/docs/mailgun/user-manual/events/webhooks/ and the event
/// structure in https://documentation.mailgun.com/docs/mailgun/user-manual/events/events/):
/// <c>failed</c> with <c>severity</c> permanent or temporary, <c>complained</c>, <c>unsubscribed</c>.
/// A signature is good once: its token is remembered for twice the timestamp tolerance, unless the
/// request's events could not be recorded (then Mailgun's retry of it must be taken).
/// </summary>
public sealed class MailgunWebhook(IProviderEventLedger ledger, TimeProvider time) : IProviderWebhook
{
    private const string TokenKind = "mailgun-token";

    public string Name => FeedbackProviderNames.Mailgun;

    public async ValueTask<string?> RefusalAsync(HttpRequest request, ReadOnlyMemory<byte> body, FeedbackProviderOptions entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string? timestamp, token, signature;
        try
        {
            using var document = ProviderJson.Parse(body);
            var signed = document.RootElement.Property("signature") ?? default;
            (timestamp, token, signature) = (signed.Text("timestamp"), signed.Text("token"), signed.Text("signature"));
        }
        catch (FormatException)
        {
            return "the body is not Mailgun's JSON, so it carries no signature";
        }

        if (MailgunSignature.Problem(entry.SigningKey ?? string.Empty, timestamp, token, signature, time.GetUtcNow()) is { } problem)
        {
            return problem;
        }

        return await ledger.TryRecordAsync(TokenKind, token!, MailgunSignature.Tolerance * 2, cancellationToken)
            ? null
            : "the signature's token was used before (a replayed request)";
    }

    public ValueTask<IReadOnlyList<ProviderEvent>> ReadAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) => ValueTask.FromResult(Read(body));

    public async ValueTask ForgetRequestAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // Only called for a request RefusalAsync verified, so its body parses and carries a token.
        using var document = ProviderJson.Parse(body);
        if ((document.RootElement.Property("signature") ?? default).Text("token") is { } token)
        {
            await ledger.ForgetAsync(TokenKind, token, cancellationToken);
        }
    }

    private static IReadOnlyList<ProviderEvent> Read(ReadOnlyMemory<byte> body)
    {
        using var document = ProviderJson.Parse(body);
        var data = document.RootElement.Property("event-data") ?? throw new FormatException("The body has no event-data.");
        var id = data.Text("id") ?? throw new FormatException("The event has no id.");
        var type = data.Text("event") ?? throw new FormatException("The event has no event type.");
        var recipient = ProviderJson.Address(data.Text("recipient"));
        var kind = type switch
        {
            "failed" when data.Text("severity") == "permanent" => ProviderEventKind.PermanentBounce,
            "failed" => ProviderEventKind.TransientBounce,
            "complained" => ProviderEventKind.Complaint,
            "unsubscribed" => ProviderEventKind.Unsubscribe,
            _ => ProviderEventKind.Other,
        };
        if (kind == ProviderEventKind.Other)
        {
            return [];
        }

        if (recipient is null)
        {
            throw new FormatException("The event's recipient is not an address.");
        }

        // "delivery-status": the remote server's reply code and words, as a DSN's Diagnostic-Code.
        var status = data.Property("delivery-status") ?? default;
        var diagnostic = string.Join(' ', new[] { status.Text("code"), status.Text("message"), status.Text("description") }.Where(part => !string.IsNullOrWhiteSpace(part)));
        var messageId = (data.Property("message") ?? default).Property("headers") is { } headers ? headers.Text("message-id") : null;
        return [new ProviderEvent(
            id, data.Text("severity") is { } severity ? $"{type}/{severity}" : type, kind, recipient.Value, status.Text("enhanced-code"), diagnostic.Length == 0 ? null : diagnostic[..Math.Min(diagnostic.Length, 1000)], messageId)];
    }
}
