using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// SendGrid Event Webhook batches as SendGrid documents them
/// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event, the bounce and
/// spamreport examples; the address, smtp-id and sg_event_id the test's own), signed as
/// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
/// describes: ECDSA P-256 with SHA-256 over the timestamp and the body, base64 DER.
/// </summary>
internal static class SendGridRequests
{
    public static JsonObject Bounce(string email, string messageId, string eventId, string type = "bounce") => new()
    {
        ["email"] = email,
        ["timestamp"] = 1513299569,
        ["smtp-id"] = $"<{messageId}>",
        ["event"] = "bounce",
        ["bounce_classification"] = "Invalid Address",
        ["category"] = "cat facts",
        ["sg_event_id"] = eventId,
        ["sg_message_id"] = "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        ["reason"] = "550 5.1.1 The email account that you tried to reach does not exist.",
        ["status"] = "5.1.1",
        ["type"] = type,
    };

    public static JsonObject SpamReport(string email, string messageId, string eventId) => new()
    {
        ["email"] = email,
        ["timestamp"] = 1513299569,
        ["smtp-id"] = $"<{messageId}>",
        ["event"] = "spamreport",
        ["category"] = "cat facts",
        ["sg_event_id"] = eventId,
        ["sg_message_id"] = "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
    };

    public static JsonObject Delivered(string email, string eventId) => new()
    {
        ["email"] = email,
        ["timestamp"] = 1513299569,
        ["event"] = "delivered",
        ["sg_event_id"] = eventId,
        ["response"] = "250 OK",
    };

    public static (string Body, Dictionary<string, string> Headers) Signed(ECDsa key, params JsonObject[] events)
    {
        var body = new JsonArray([.. events]).ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return (body, new Dictionary<string, string>
        {
            ["X-Twilio-Email-Event-Webhook-Signature"] = Convert.ToBase64String(signature),
            ["X-Twilio-Email-Event-Webhook-Timestamp"] = timestamp,
        });
    }
}
