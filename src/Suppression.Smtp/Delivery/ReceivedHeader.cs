using System.Net;
using System.Text;
using MimeKit.Utils;

namespace Suppression.Smtp.Delivery;

/// <summary>The trace header the gateway prepends (RFC 5321 4.4), with the protocol names of RFC 3848 and RFC 6531.</summary>
public static class ReceivedHeader
{
    public static string Build(
        string clientDomain,
        IPAddress clientAddress,
        string hostname,
        bool extended,
        bool secure,
        bool authenticated,
        bool smtpUtf8,
        string transactionId,
        string? singleRecipient,
        DateTimeOffset time)
    {
        var protocol = Protocol(extended, secure, authenticated, smtpUtf8);
        var address = clientAddress.IsIPv4MappedToIPv6 ? clientAddress.MapToIPv4() : clientAddress;
        var literal = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6:" + address : address.ToString();
        var builder = new StringBuilder()
            .Append("from ").Append(Sanitize(clientDomain)).Append(" ([").Append(literal).Append("])")
            .Append(" by ").Append(hostname)
            .Append(" with ").Append(protocol)
            .Append(" id ").Append(transactionId);

        // Naming the recipient is only safe when there is one: otherwise every copy would list them all.
        if (singleRecipient is not null && IsPlainMailbox(singleRecipient))
        {
            builder.Append(" for <").Append(singleRecipient).Append('>');
        }

        return builder.Append("; ").Append(DateUtils.FormatDate(time)).ToString();
    }

    // RFC 3848 2: "S" for STARTTLS, then "A" for SMTP AUTH (ESMTPS, ESMTPA, ESMTPSA); RFC 6531 3.7.3
    // the same after UTF8SMTP. AUTH needs EHLO (RFC 4954 4), so plain SMTP never gets an "A".
    private static string Protocol(bool extended, bool secure, bool authenticated, bool smtpUtf8) =>
        (smtpUtf8 ? "UTF8SMTP" : extended ? "ESMTP" : "SMTP")
        + (secure ? "S" : string.Empty)
        + (authenticated && (extended || smtpUtf8) ? "A" : string.Empty);

    // The recipient is the client's spelling. A quoted local part can hold ';', '(', '<', '>', '"' and
    // spaces: valid inside a quoted string, but parsers of trace fields split on them, so a client
    // could end the clause early, start a comment that hides the date, or write a "by" of its own.
    // Such a recipient goes unnamed: the "for" clause is optional (RFC 5321 4.4), and it is never
    // rewritten into a spelling the client did not send. A dot-atom local part has none of them.
    private static bool IsPlainMailbox(string mailbox) =>
        mailbox.All(c => c > 127
            ? !char.IsControl(c) && !char.IsWhiteSpace(c)
            : char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.@[]:".Contains(c, StringComparison.Ordinal));

    // The EHLO argument is the client's word; keep it from breaking the header.
    private static string Sanitize(string clientDomain) =>
        new(clientDomain.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '[' or ']' or ':' or '_' ? c : '?').ToArray());
}
