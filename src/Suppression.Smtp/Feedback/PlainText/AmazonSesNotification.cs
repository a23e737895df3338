using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback.PlainText;

/// <summary>
/// Amazon SES's bounce notification mailed as JSON (SES event publishing or an SNS e-mail
/// subscription, which wraps it in an envelope whose "Message" is the notification as a string):
/// notificationType Bounce, bounce.bounceType, bounce.bounceSubType and bounce.bouncedRecipients[]
/// with emailAddress, action, status and diagnosticCode. Delivery notifications name recipients
/// that need nothing.
/// </summary>
internal static partial class AmazonSesNotification
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16, AllowTrailingCommas = false };

    private const int MaxRecipientsRead = 1000;

    public static bool TryRead(string text, int maxRecipients, out FeedbackReport report)
    {
        report = default!;
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0 || text.AsSpan(0, start).Trim().Length > 0 || !text.Contains("notificationType", StringComparison.Ordinal))
        {
            return false;
        }

        // A line over 998 octets reaches us split by the relaying MTA as "!" CRLF SP (Sendmail and
        // others, RFC 5322 2.1.1), which breaks a JSON string; the split is undone when parsing fails.
        using var notification = ParseFirstValue(text[start..]) ?? ParseFirstValue(LongLineSplit().Replace(text[start..], string.Empty));
        if (notification is null)
        {
            return false;
        }

        var root = notification.RootElement;

        // The SNS envelope: {"Type": "Notification", "Message": "{\"notificationType\": ...}"}.
        if (root.ValueKind == JsonValueKind.Object && String(root, "Type") == "Notification" && String(root, "Message") is { } inner)
        {
            using var unwrapped = ParseFirstValue(inner);
            return unwrapped is not null && TryRead(unwrapped.RootElement, maxRecipients, out report);
        }

        return TryRead(root, maxRecipients, out report);
    }

    private static bool TryRead(JsonElement root, int maxRecipients, out FeedbackReport report)
    {
        report = default!;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var type = String(root, "notificationType") ?? String(root, "eventType");
        var (detailName, listName) = type switch
        {
            "Bounce" => ("bounce", "bouncedRecipients"),
            "Delivery" => ("delivery", "recipients"),
            _ => (null, null),
        };
        if (detailName is null || !root.TryGetProperty(detailName, out var detail) || detail.ValueKind != JsonValueKind.Object
            || !detail.TryGetProperty(listName!, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        if (list.GetArrayLength() > maxRecipients)
        {
            report = FeedbackReport.Malformed(
                $"The Amazon SES notification names more than {maxRecipients} recipients (Suppression:Feedback:MaxReportRecipients); none was read.");
            return true;
        }

        var recipients = new List<FeedbackRecipient>();
        var problems = new List<string>();
        foreach (var entry in list.EnumerateArray().Take(MaxRecipientsRead))
        {
            var address = entry.ValueKind switch
            {
                JsonValueKind.String => entry.GetString(),
                JsonValueKind.Object => String(entry, "emailAddress"),
                _ => null,
            };
            if (!ReportAddress.TryNormalize(address, fromOrcpt: false, out var normalized, out var error))
            {
                problems.Add(error);
                continue;
            }

            recipients.Add(type == "Delivery"
                ? new FeedbackRecipient(normalized, FeedbackOutcome.None, "delivered")
                : Bounced(normalized, detail, entry));
        }

        report = recipients.Count == 0
            ? FeedbackReport.Malformed("The Amazon SES notification names no readable recipient. " + string.Join(' ', problems))
            : new FeedbackReport { Kind = FeedbackKind.DeliveryStatus, Recipients = recipients, Reason = string.Join(' ', problems) };
        return true;
    }

    // Only a Permanent bounce of subtype General, NoEmail or Suppressed can be a hard one, and only
    // when the recipient's own status and diagnostic prove the mailbox gone; the bounce type alone
    // never does (SES calls "552 mailbox full" Permanent/General). Other subtypes blame the message
    // or the account (MessageTooLarge, ContentRejected, OnAccountSuppressionList, ...).
    private static FeedbackRecipient Bounced(Suppression.Addresses.NormalizedAddress address, JsonElement bounce, JsonElement recipient)
    {
        var status = recipient.ValueKind == JsonValueKind.Object ? String(recipient, "status") : null;
        var diagnostic = recipient.ValueKind == JsonValueKind.Object ? Diagnostic(String(recipient, "diagnosticCode")) : null;
        var mayBeHard = String(bounce, "bounceType") == "Permanent" && String(bounce, "bounceSubType") is "General" or "NoEmail" or "Suppressed";
        DeliveryStatusCode? code = DeliveryStatusCode.TryParse(status, out var parsed) ? parsed
            : DeliveryStatusCode.TryFind(diagnostic, out var found) ? found : null;
        var action = mayBeHard ? "failed" : "delayed";
        var outcome = BounceVerdict.Of(action, code, diagnostic, RefusalStage.Unknown, address.Domain) ?? FeedbackOutcome.SoftBounce;
        if (!mayBeHard && outcome == FeedbackOutcome.HardBounce)
        {
            outcome = FeedbackOutcome.SoftBounce;
        }

        return new FeedbackRecipient(address, outcome, mayBeHard ? "failed" : "delayed", code?.ToString(), diagnostic);
    }

    // "smtp; 550 5.1.1 user unknown", as a DSN's Diagnostic-Code (RFC 3464 2.3.6).
    private static string? Diagnostic(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var text = semicolon is > 0 and < 20 && !value.AsSpan(0, semicolon).ContainsAny(' ', '@') ? value[(semicolon + 1)..] : value;
        return text.Trim() is { Length: > 0 } trimmed ? trimmed[..Math.Min(trimmed.Length, 1000)] : null;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    // The notification is followed by the SNS footer ("--\nIf you wish to stop receiving ..."),
    // so one JSON value is read and the rest ignored.
    private static JsonDocument? ParseFirstValue(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { MaxDepth = Options.MaxDepth, AllowMultipleValues = true });
        try
        {
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"!\r?\n ", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LongLineSplit();
}
