using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// Mailgun webhook requests as Mailgun documents them: the "failed" and "complained" event-data
/// examples of https://documentation.mailgun.com/docs/mailgun/user-manual/events/events/ (ids,
/// delivery-status and headers as there, the recipient and Message-ID the test's own), wrapped with
/// the signature of https://documentation.mailgun.com/docs/mailgun/user-manual/events/webhooks/#securing-webhooks.
/// </summary>
internal static class MailgunRequests
{
    public static string PermanentFailure(string recipient, string messageId, string eventId) => Signed(new JsonObject
    {
        ["event"] = "failed",
        ["id"] = eventId,
        ["timestamp"] = 1521243339.873676,
        ["log-level"] = "error",
        ["severity"] = "permanent",
        ["reason"] = "bounce",
        ["recipient"] = recipient,
        ["recipient-domain"] = recipient[(recipient.IndexOf('@', StringComparison.Ordinal) + 1)..],
        ["delivery-status"] = new JsonObject
        {
            ["attempt-no"] = 1,
            ["code"] = 550,
            ["enhanced-code"] = "5.1.1",
            ["message"] = "5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
            ["description"] = "",
            ["mx-host"] = "aspmx.l.google.com",
            ["session-seconds"] = 0.4331989288330078,
        },
        ["message"] = Message(messageId),
        ["tags"] = new JsonArray(),
        ["user-variables"] = new JsonObject(),
    });

    public static string Complaint(string recipient, string messageId, string eventId) => Signed(new JsonObject
    {
        ["event"] = "complained",
        ["id"] = eventId,
        ["timestamp"] = 1521233123.501324,
        ["log-level"] = "warn",
        ["recipient"] = recipient,
        ["message"] = Message(messageId),
        ["tags"] = new JsonArray(),
        ["user-variables"] = new JsonObject(),
    });

    /// <param name="timestamp">Unix seconds of the signature; now when null.</param>
    public static string Signed(JsonObject eventData, string key = ProviderWebhookFixture.MailgunSigningKey, long? timestamp = null)
    {
        var stamp = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(25));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(stamp + token)));
        return new JsonObject
        {
            ["signature"] = new JsonObject { ["timestamp"] = stamp, ["token"] = token, ["signature"] = signature },
            ["event-data"] = eventData,
        }.ToJsonString();
    }

    private static JsonObject Message(string messageId) => new()
    {
        ["headers"] = new JsonObject
        {
            ["to"] = "Alice <alice@example.com>",
            ["message-id"] = messageId,
            ["from"] = "Bob <bob@sender.test>",
            ["subject"] = "Test permanent_fail webhook",
        },
        ["attachments"] = new JsonArray(),
        ["size"] = 111,
    };
}
