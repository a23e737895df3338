using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// SNS messages carrying SES notifications as AWS documents them: the SNS HTTP(S) JSON of
/// https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html, its signature as
/// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html describes (made
/// with the test's own key), and the SES bounce and complaint examples of
/// https://docs.aws.amazon.com/ses/latest/dg/notification-examples.html (addresses and ids the test's own).
/// </summary>
internal static class SnsRequests
{
    public const string TopicArn = "arn:aws:sns:us-west-2:123456789012:ses-feedback";

    public const string CertificateUrl = "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem";

    public static string Bounce(string recipient, string messageId, string feedbackId) => new JsonObject
    {
        ["notificationType"] = "Bounce",
        ["bounce"] = new JsonObject
        {
            ["bounceType"] = "Permanent",
            ["reportingMTA"] = "dns; email.example.com",
            ["bouncedRecipients"] = new JsonArray(new JsonObject
            {
                ["emailAddress"] = recipient,
                ["status"] = "5.1.1",
                ["action"] = "failed",
                ["diagnosticCode"] = "smtp; 550 5.1.1 <" + recipient + ">... User unknown",
            }),
            ["bounceSubType"] = "General",
            ["timestamp"] = "2016-01-27T14:59:38.237Z",
            ["feedbackId"] = feedbackId,
            ["remoteMtaIp"] = "127.0.2.0",
        },
        ["mail"] = Mail(recipient, messageId),
    }.ToJsonString();

    public static string Complaint(string recipient, string messageId, string feedbackId) => new JsonObject
    {
        ["notificationType"] = "Complaint",
        ["complaint"] = new JsonObject
        {
            ["userAgent"] = "AnyCompany Feedback Loop (V0.01)",
            ["complainedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient }),
            ["complaintFeedbackType"] = "abuse",
            ["arrivalDate"] = "2016-01-27T14:59:38.237Z",
            ["timestamp"] = "2016-01-27T14:59:38.237Z",
            ["feedbackId"] = feedbackId,
        },
        ["mail"] = Mail(recipient, messageId),
    }.ToJsonString();

    public static JsonObject Notification(string message, string? messageId = null) => new()
    {
        ["Type"] = "Notification",
        ["MessageId"] = messageId ?? Guid.NewGuid().ToString(),
        ["TopicArn"] = TopicArn,
        ["Subject"] = "Amazon SES Email Event Notification",
        ["Message"] = message,
        ["Timestamp"] = "2016-01-27T14:59:38.237Z",
        ["SignatureVersion"] = "1",
        ["SigningCertURL"] = CertificateUrl,
        ["UnsubscribeURL"] = "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TopicArn + ":c9135db0",
    };

    public static JsonObject SubscriptionConfirmation(string subscribeUrl = "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + TopicArn + "&Token=2336412f37") => new()
    {
        ["Type"] = "SubscriptionConfirmation",
        ["MessageId"] = Guid.NewGuid().ToString(),
        ["Token"] = "2336412f37",
        ["TopicArn"] = TopicArn,
        ["Message"] = "You have chosen to subscribe to the topic " + TopicArn + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.",
        ["SubscribeURL"] = subscribeUrl,
        ["Timestamp"] = "2012-04-26T20:45:04.751Z",
        ["SignatureVersion"] = "1",
        ["SigningCertURL"] = CertificateUrl,
    };

    /// <summary>Signs the message as SNS does: SignatureVersion 1 with SHA-1, 2 with SHA-256.</summary>
    public static string Signed(JsonObject message, RSA key, string version = "1")
    {
        message["SignatureVersion"] = version;
        string[] names = message["Type"]!.GetValue<string>() == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
        var text = new StringBuilder();
        foreach (var name in names.Where(name => message[name] is not null))
        {
            text.Append(name).Append('\n').Append(message[name]!.GetValue<string>()).Append('\n');
        }

        var hash = version == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        message["Signature"] = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(text.ToString()), hash, RSASignaturePadding.Pkcs1));
        return message.ToJsonString();
    }

    private static JsonObject Mail(string recipient, string messageId) => new()
    {
        ["timestamp"] = "2016-01-27T14:59:38.237Z",
        ["messageId"] = "0000014644fe5ef6-9a483358-9170-4cb4-a269-f5dcdf415321-000000",
        ["source"] = "john@example.com",
        ["sourceArn"] = "arn:aws:ses:us-west-2:888888888888:identity/example.com",
        ["sendingAccountId"] = "123456789012",
        ["destination"] = new JsonArray(recipient),
        ["headersTruncated"] = false,
        ["commonHeaders"] = new JsonObject
        {
            ["from"] = new JsonArray("John Doe <john@example.com>"),
            ["to"] = new JsonArray(recipient),
            ["messageId"] = messageId,
            ["subject"] = "Hello",
        },
    };
}
