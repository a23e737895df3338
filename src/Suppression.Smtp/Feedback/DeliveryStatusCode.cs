using System.Globalization;
using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// An RFC 3463 enhanced status code, class.subject.detail (section 2): class 2 success, 4
/// persistent transient failure, 5 permanent failure; subject and detail are 1 to 3 digits.
/// </summary>
internal readonly partial record struct DeliveryStatusCode(int Class, int Subject, int Detail)
{
    public bool IsPermanent => Class == 5;

    public bool IsTransient => Class == 4;

    public bool IsSuccess => Class == 2;

    // A permanent failure says the mailbox is gone only when its subject is about the address
    // or the mailbox. RFC 3463 puts the cause elsewhere for: X.2.2 mailbox full and X.2.3 message
    // too long (section 3.3), X.3.* the receiving mail system (3.4), X.4.5 congestion, X.4.6 routing
    // loop and X.4.7 delivery time expired (3.5), X.5.* protocol (3.6), X.6.* content (3.7) and
    // X.7.* security or policy (3.8), which is where spam and reputation rejections land.
    // Suppressing on those would block a working mailbox from all mail because of one message.
    public bool BlamesMailbox => Subject switch
    {
        2 => Detail is not (2 or 3),
        3 or 5 or 6 or 7 => false,
        4 => Detail is not (5 or 6 or 7),
        _ => true,
    };

    // The Status field (RFC 3464 2.3.4) holds the code, sometimes followed by a comment such as
    // "5.1.1 (bad destination mailbox address)".
    public static bool TryParse(string? text, out DeliveryStatusCode code)
    {
        code = default;
        var token = text?.Trim().Split([' ', '\t', '('], 2)[0];
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var match = ExactCode().Match(token);
        return match.Success && TryCreate(match, out code);
    }

    // An enhanced code inside an SMTP reply quoted in a Diagnostic-Code, e.g. "550 5.1.1 <a@b>: ...".
    public static bool TryFind(string? text, out DeliveryStatusCode code)
    {
        code = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var match = CodeInText().Match(text);
        return match.Success && TryCreate(match, out code);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Class}.{Subject}.{Detail}");

    private static bool TryCreate(Match match, out DeliveryStatusCode code)
    {
        code = new DeliveryStatusCode(
            int.Parse(match.Groups["class"].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["subject"].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["detail"].ValueSpan, CultureInfo.InvariantCulture));
        return true;
    }

    [GeneratedRegex(@"^(?<class>[245])\.(?<subject>[0-9]{1,3})\.(?<detail>[0-9]{1,3})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExactCode();

    // Not part of a longer dotted number, so an IPv4 address such as 192.0.2.5 is not a code.
    [GeneratedRegex(@"(?<![0-9.])(?<class>[245])\.(?<subject>[0-9]{1,3})\.(?<detail>[0-9]{1,3})(?![0-9]|\.[0-9])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodeInText();
}
