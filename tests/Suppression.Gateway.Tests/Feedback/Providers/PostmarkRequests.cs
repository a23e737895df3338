using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// Postmark webhook bodies as Postmark documents them, the address and id the test's own:
/// https://postmarkapp.com/developer/webhooks/bounce-webhook (the example's fields; its Details
/// replaced by a real hard bounce's reply), https://postmarkapp.com/developer/webhooks/spam-complaint-webhook
/// and https://postmarkapp.com/developer/webhooks/subscription-change-webhook. Authentication is the
/// basic auth Postmark sends from credentials in the webhook URL.
/// </summary>
internal static class PostmarkRequests
{
    public static AuthenticationHeaderValue Credentials(
        string username = ProviderWebhookFixture.PostmarkUsername, string password = ProviderWebhookFixture.PostmarkPassword) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    public static string HardBounce(string email, long id) => new JsonObject
    {
        ["RecordType"] = "Bounce",
        ["MessageStream"] = "outbound",
        ["ID"] = id,
        ["Type"] = "HardBounce",
        ["TypeCode"] = 1,
        ["Name"] = "Hard bounce",
        ["Tag"] = "Test",
        ["MessageID"] = "883953f4-6105-42a2-a16a-77a8eac79483",
        ["Metadata"] = new JsonObject { ["a_key"] = "a_value", ["b_key"] = "b_value" },
        ["ServerID"] = 23,
        ["Description"] = "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        ["Details"] = "smtp;550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
        ["Email"] = email,
        ["From"] = "sender@example.com",
        ["BouncedAt"] = "2019-11-05T16:33:54.9070259Z",
        ["DumpAvailable"] = true,
        ["Inactive"] = true,
        ["CanActivate"] = true,
        ["Subject"] = "Test subject",
        ["Content"] = "<Full dump of bounce>",
    }.ToJsonString();

    public static string SpamComplaint(string email, long id) => new JsonObject
    {
        ["RecordType"] = "SpamComplaint",
        ["MessageStream"] = "outbound",
        ["ID"] = id,
        ["Type"] = "SpamComplaint",
        ["TypeCode"] = 512,
        ["Name"] = "Spam complaint",
        ["Tag"] = "Test",
        ["MessageID"] = "00000000-0000-0000-0000-000000000000",
        ["Metadata"] = new JsonObject { ["a_key"] = "a_value", ["b_key"] = "b_value" },
        ["ServerID"] = 1234,
        ["Description"] = "",
        ["Details"] = "Test spam complaint details",
        ["Email"] = email,
        ["From"] = "sender@example.com",
        ["BouncedAt"] = "2019-11-05T16:33:54.9070259Z",
        ["DumpAvailable"] = true,
        ["Inactive"] = true,
        ["CanActivate"] = false,
        ["Subject"] = "Test subject",
        ["Content"] = "<Abuse report dump>",
    }.ToJsonString();

    public static string Unsubscribed(string recipient) => new JsonObject
    {
        ["RecordType"] = "SubscriptionChange",
        ["MessageID"] = Guid.NewGuid().ToString(),
        ["ServerID"] = 23,
        ["MessageStream"] = "outbound",
        ["ChangedAt"] = "2020-02-01T10:53:34.416071Z",
        ["Recipient"] = recipient,
        ["Origin"] = "Recipient",
        ["SuppressSending"] = true,
        ["SuppressionReason"] = "ManualSuppression",
        ["Tag"] = "my-tag",
        ["Metadata"] = new JsonObject { ["example"] = "value", ["example_2"] = "value" },
    }.ToJsonString();
}
