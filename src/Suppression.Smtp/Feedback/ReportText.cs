using MimeKit;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The human-readable part of a multipart/report: its first part (RFC 6522 3), text/plain, or the
/// text/plain inside it when an MTA sends that part as multipart/alternative (Gmail does).
/// </summary>
internal static class ReportText
{
    private const int MaxDepth = 3;

    public static string? HumanReadable(MultipartReport report) => report.Count == 0 ? null : PlainText(report[0], MaxDepth);

    private static string? PlainText(MimeEntity entity, int depth) => entity switch
    {
        TextPart { IsPlain: true } text => text.Text is { } words ? Iso2022JpText.Decode(words) : null,
        Multipart multipart when depth > 0 => multipart.Select(child => PlainText(child, depth - 1)).FirstOrDefault(found => found is not null),
        _ => null,
    };
}
