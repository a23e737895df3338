using System.Text;
using MimeKit;
using Suppression.Addresses;
using Suppression.Smtp.Feedback;
using Suppression.Testing.Fuzzing;

namespace Suppression.Smtp.Tests.Feedback;

// Mail to a feedback address comes from anyone. Whatever it holds, loading it fails only with the
// FormatException the handler turns into "kept for inspection", and reading the report never
// throws: any other exception would answer 451, and the reporting server would retry it forever.
// What the parser does report holds together: recipients only for a bounce or a complaint, each a
// canonical address; a reason whenever the report is not understood.
public sealed class FeedbackReportParserFuzzTests
{
    private static readonly string[] Samples =
    [
        DeliveryStatusSamples.GmailNoSuchUser, DeliveryStatusSamples.Microsoft365RecipientNotFound, DeliveryStatusSamples.PostfixUserUnknown,
        DeliveryStatusSamples.PostfixMailboxFullDelayed, EdgeDeliveryStatusSamples.PostfixMixedOutcomes, EdgeDeliveryStatusSamples.PostfixAliasedRecipient,
        EdgeDeliveryStatusSamples.OriginalRecipientOnly, EdgeDeliveryStatusSamples.GlobalDeliveryStatusUtf8, EdgeDeliveryStatusSamples.DeliveryStatusUtf8Escaped,
        EdgeDeliveryStatusSamples.WrappedByDisclaimer, ComplaintSamples.YahooAbuse, ComplaintSamples.MicrosoftJmrpAbuse, ComplaintSamples.FraudWithHeadersOnly,
        MalformedFeedbackSamples.QmailBounce, MalformedFeedbackSamples.DeliveryStatusPartMissing, MalformedFeedbackSamples.RecipientMissing,
        MalformedFeedbackSamples.GarbledFields, MalformedFeedbackSamples.FeedbackTypeMissing, MalformedFeedbackSamples.ReadReceipt,
        PlainTextBounceSamples.Qmail, PlainTextBounceSamples.Exim, PlainTextBounceSamples.Sendmail, PlainTextBounceSamples.OpenSmtpd,
        PlainTextBounceSamples.Exchange2003, PlainTextBounceSamples.Gmail, PlainTextBounceSamples.AmazonSes, PlainTextBounceSamples.Office365,
        PlainTextBounceSamples.DragonFly, PlainTextBounceSamples.McAfee, PlainTextBounceSamples.BrokenBoundary,
    ];

    // Lines that change what a MIME parser or the report reader does next.
    private static readonly string[] Lines =
    [
        "", "--", "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"", "Content-Type: multipart/report; boundary=",
        "Content-Type: message/delivery-status", "Content-Type: message/global-delivery-status", "Content-Type: message/feedback-report",
        "Content-Type: message/rfc822", "Content-Type: text/rfc822-headers", "Content-Type: multipart/mixed; boundary=\"b\"",
        "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: quoted-printable", "Final-Recipient: rfc822; a@example.com",
        "Final-Recipient: rfc822;", "Final-Recipient: utf-8; \u7528\u6237@\u4F8B\u5B50.\u5E7F\u544A", "Final-Recipient: x-unknown; \\x{DEAD}",
        "Original-Recipient: rfc822;<>", "Action: failed", "Action: delayed", "Status: 5.1.1", "Status: 9.9.9.9", "Status: 5.",
        "Diagnostic-Code: smtp; 550 5.1.1 gone", "Feedback-Type: abuse", "Feedback-Type:", "Original-Rcpt-To: b@example.com",
        "Removal-Recipient: \"a@b\"", "Received-Date: not a date", "Message-ID: <", "List-Unsubscribe: <https://x/u/AAAA>",
        "=?utf-8?B?////?=", "=?x-unknown?Q?=FF?=", " folded continuation", "\t", "begin 644 file", "=\r",
        "<a@example.com>:", "  b@example.com", "c@example.com: 550 5.1.1 User unknown", "550 <d@example.com>... User unknown",
        ">>> RCPT To:<e@example.com>", "<<< 550 5.1.1 unknown", "--- Below this line is a copy of the message.", "Remote host said:",
        "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":\"f@example.com\"}]}}",
    ];

    [Fact]
    public Task Any_mail_to_a_feedback_address_is_read_without_an_exception_that_would_defer_it() =>
        Fuzz.RunAsync(defaultSeed: 3464, defaultIterations: 1_500, Generate, AssertReadSafely);

    private static byte[] Generate(FuzzRandom random)
    {
        if (random.Chance(0.1))
        {
            return random.Bytes(2000);
        }

        var lines = random.Pick(Samples).ReplaceLineEndings("\n").Split('\n').ToList();
        var edits = random.Next(1, 6);
        for (var edit = 0; edit < edits && lines.Count > 0; edit++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                case 2:
                    lines.Insert(at, random.Pick(Lines));
                    break;
                case 3:
                    lines.RemoveRange(at, lines.Count - at);
                    break;
                case 4:
                    lines[at] = random.Mutate(lines[at], Lines);
                    break;
                case 5:
                    (lines[at], lines[^1]) = (lines[^1], lines[at]);
                    break;
                default:
                    // A boundary line that no longer matches, or matches early.
                    lines[at] = random.Chance(0.5) ? "--" + lines[at] : lines[at].TrimStart('-');
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(string.Join(random.Chance(0.9) ? "\r\n" : "\n", lines));
        return random.Chance(0.2) ? random.Mutate(bytes) : bytes;
    }

    private static void AssertReadSafely(byte[] mail)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(mail);
            message = MimeMessage.Load(ParserOptions.Default, stream, persistent: false);
        }
        catch (FormatException)
        {
            return;
        }

        var report = FeedbackReportParser.Parse(message);

        if (report.Kind is FeedbackKind.DeliveryStatus or FeedbackKind.Complaint)
        {
            Assert.NotEmpty(report.Recipients);
            Assert.All(report.Recipients, recipient => Assert.Equal(recipient.Address, AddressNormalizer.Normalize(recipient.Address.Value)));
        }
        else
        {
            Assert.Empty(report.Recipients);
            Assert.False(string.IsNullOrWhiteSpace(report.Reason), $"a {report.Kind} report without a reason");
        }
    }
}
