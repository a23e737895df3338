using System.Text.RegularExpressions;
using MimeKit;

namespace Suppression.Smtp.Feedback.PlainText;

/// <summary>
/// The words a mail system wrote in a bounce, without the message it returns: the first text part
/// outside any returned message (message/rfc822, text/rfc822-headers), cut at the line where the
/// returned copy begins. Only this text may name a failed recipient; the copy names the sender's
/// recipients, who did not bounce.
/// </summary>
internal static partial class BounceText
{
    // A bounce's own text is a few kilobytes; what lies beyond is returned content or padding.
    public const int MaxChars = 32 * 1024;

    private const int MaxNestingDepth = 4;

    // Amazon SES notifications carry the original's headers inside the JSON; they are larger.
    private const int MaxNotificationChars = 256 * 1024;

    /// <summary>The notice's text as it came, up to the notification bound; null when there is none.</summary>
    public static string? WholeOf(MimeEntity? body)
    {
        var text = NoticeIn(body, MaxNestingDepth, attachments: false) ?? NoticeIn(body, MaxNestingDepth, attachments: true);
        return text is null ? null : text.Length > MaxNotificationChars ? text[..MaxNotificationChars] : text;
    }

    /// <summary>The notice's text up to the returned copy, bounded.</summary>
    public static string? Of(MimeEntity? body)
    {
        var text = WholeOf(body);
        if (text is null)
        {
            return null;
        }

        text = text.Length > MaxChars ? text[..MaxChars] : text;
        var boundary = ReturnedMessageBoundary().Match(text);
        return boundary.Success ? text[..boundary.Index] : text;
    }

    // The first text part not inside a returned message; plain text before HTML, as the notice is
    // written in both when it is multipart/alternative. Some notices come only as attachments
    // (McAfee's "deliveryproblems.txt"); those are taken when there is nothing else. A multipart
    // whose boundary matches none of its lines has no parts, and its text is all in the preamble.
    private static string? NoticeIn(MimeEntity? entity, int depth, bool attachments) => entity switch
    {
        TextPart text when (attachments ? text.IsPlain : !text.IsAttachment) && !IsReturnedHeaders(text) =>
            text.IsHtml ? HtmlToPlain(Bounded(text.Text)) : Iso2022JpText.Decode(text.Text ?? string.Empty),
        MultipartAlternative alternative when depth > 0 && alternative.OfType<TextPart>().FirstOrDefault(part => part.IsPlain) is { } plain =>
            NoticeIn(plain, depth - 1, attachments),
        Multipart { Count: 0, Preamble.Length: > 0 } empty => empty.Preamble,
        Multipart multipart when depth > 0 => multipart.Select(child => NoticeIn(child, depth - 1, attachments)).FirstOrDefault(found => found is not null),
        _ => null,
    };

    private static string Bounded(string? text) => text is null ? string.Empty : text.Length > MaxChars ? text[..MaxChars] : text;

    private static bool IsReturnedHeaders(TextPart part) =>
        part.ContentType.IsMimeType("text", "rfc822-headers") || part.ContentType.IsMimeType("text", "rfc822");

    private static string HtmlToPlain(string html) =>
        System.Net.WebUtility.HtmlDecode(Tags().Replace(LineBreakTags().Replace(html, "\n"), string.Empty));

    // The lines with which MTAs introduce the returned copy (qmail, Exim, Sendmail, Postfix, Gmail,
    // Yahoo, OpenSMTPD, DragonFly, IMail, GMX, MXLogic, Notes, m-FILTER, Verizon, Exchange and others):
    // ported from the "boundaries" of sisimai's per-MTA modules (sisimai p5 at 21cfb93,
    // lib/Sisimai/Lhost/*.pm, BSD-2-Clause, see THIRD-PARTY-NOTICES.md). The first header field of
    // a returned copy is a boundary too, for MTAs that return it without a marker.
    [GeneratedRegex(
        @"^[ \t>|*-]*("
        + @"-+ *(Below this line is|Enclosed is|This is) a copy of (the|your) message"
        + @"|Below is a copy of the original message|Original message follows|Message headers follow|Unsent message follows"
        + @"|The header of the original message is following|Included is a copy of the message header"
        + @"|-+ *(Original|Returned|Undelivered|Unsent) (message|mail)|Original message headers:|Original Message:"
        + @"|-+ *original message|Message text follows|The original message was:|Original message:"
        + @"|-+ *Message header follows|-+ *No message was collected|Original mail as follows|-+ *original mail info"
        + @"|The attachment contains the original mail headers"
        + @"|(Return-Path|Received|DKIM-Signature|DomainKey-Signature|X-Received): |Content-Type: *:?(message/(rfc822|global|partial)|text/rfc822-headers)"
        + @")",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ReturnedMessageBoundary();

    [GeneratedRegex(@"<(br|/p|/div|/tr|/li|/h[1-6])\b[^>]{0,200}>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LineBreakTags();

    [GeneratedRegex(@"<[^>]{0,2000}>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Tags();
}
