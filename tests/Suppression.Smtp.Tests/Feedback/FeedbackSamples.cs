using System.Text;
using MimeKit;
using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Tests.Feedback;

// The samples are kept as raw string literals (with LF line ends in source) and sent through the
// parser as the CRLF bytes an SMTP DATA section carries.
public static class FeedbackSamples
{
    public static MimeMessage Load(string raw)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));
        return MimeMessage.Load(stream);
    }

    public static FeedbackReport Parse(string raw) => FeedbackReportParser.Parse(Load(raw));

    public static FeedbackRecipient RecipientFor(this FeedbackReport report, string address) =>
        Assert.Single(report.Recipients, recipient => recipient.Address.Value == address);
}
