namespace Suppression.Gateway.Tests.Feedback;

/// <summary>Reports a mailbox provider sends the gateway, for tests that mail them in.</summary>
public static class FeedbackReports
{
    /// <summary>
    /// An ARF abuse report (RFC 5965) for <paramref name="complainant"/>. The returned part is a
    /// message without the gateway's List-Unsubscribe link, or <paramref name="returnedHeaders"/>
    /// as text/rfc822-headers.
    /// </summary>
    public static string Arf(string to, string complainant, string? returnedHeaders = null) => $"""
        From: feedbackloop@provider.example
        To: {to}
        Subject: FW: Spring sale
        Message-ID: <arf-{Guid.NewGuid():N}@provider.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="A1"

        --A1
        Content-Type: text/plain

        This is an email abuse report.

        --A1
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: Provider-Feedback/1.0
        Version: 1
        Original-Rcpt-To: <{complainant}>

        --A1
        Content-Type: {(returnedHeaders is null ? "message/rfc822" : "text/rfc822-headers")}

        {returnedHeaders ?? $"From: News <news@sender.test>\r\nTo: {complainant}\r\nSubject: Spring sale\r\nMessage-ID: <original-{Guid.NewGuid():N}@sender.test>\r\n\r\nBig discounts.\r\n"}
        --A1--

        """.ReplaceLineEndings("\r\n");
}
