using System.Net;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The machine-readable fields of an ARF report (RFC 5965 3.1 to 3.3) worth keeping as evidence.
/// <see cref="FeedbackType"/> is lower-cased; the rest is as the provider wrote it, or null.
/// </summary>
public sealed record ComplaintDetails(
    string FeedbackType,
    string? UserAgent,
    string? Version,
    string? OriginalMailFrom,
    IPAddress? SourceIp,
    DateTimeOffset? ArrivalDate,
    IReadOnlyList<string> ReportedDomains);
