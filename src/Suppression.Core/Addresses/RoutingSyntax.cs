namespace Suppression.Addresses;

/// <summary>
/// Addresses that name a route to another mailbox rather than a mailbox. MTAs still honour these by
/// default: Postfix rewrites <c>frank%example.org@localhost</c> (<c>allow_percent_hack</c>) and
/// <c>example.org!frank@localhost</c> (<c>swap_bangpath</c>) to <c>frank@example.org</c>, and reads
/// a quoted <c>"frank@example.org"@localhost</c> the same way (<c>resolve_dequoted_address</c>); an
/// address literal is whatever local domain that host gives its own address. Mail to them reaches
/// another mailbox than the one the suppression list was asked about.
/// </summary>
/// <remarks>
/// The gateway refuses them rather than resolving them as an MTA would: which rewrites apply depends on
/// the upstream's settings and its list of local domains, which the gateway cannot see, and a wrong
/// guess delivers to someone who opted out. Legitimate senders have no use for them (RFC 5321 3.6.1
/// and Appendix C retire source routing).
/// </remarks>
public static class RoutingSyntax
{
    /// <returns>Why the address is a route rather than a mailbox, as a sentence for the SMTP reply; null for a plain mailbox.</returns>
    public static string? Explain(NormalizedAddress address)
    {
        if (address.Domain is null)
        {
            return null;
        }

        // RFC 5321 4.1.3: a domain literal, [192.0.2.1] or [IPv6:...], the only domain that starts with '['.
        if (address.Domain.StartsWith('['))
        {
            return "Address literal refused: mail to user@[IP] reaches whichever mailbox that host maps it to, which the suppression list cannot check; use a domain name";
        }

        // After dequoting: "frank%example.org"@localhost is rewritten just like the unquoted form.
        var localPart = address.UnquotedLocalPart;
        return localPart.Contains('%', StringComparison.Ordinal)
            ? "Local part with '%' refused: an upstream MTA may route it to another mailbox (the percent hack) than the one checked; send to the final address"
            : localPart.Contains('!', StringComparison.Ordinal)
            ? "Local part with '!' refused: an upstream MTA may route it as a bang path to another mailbox than the one checked; send to the final address"
            : localPart.Contains('@', StringComparison.Ordinal)
            ? "Local part with '@' refused: an upstream MTA may route it to the address inside the quotes rather than the one checked; send to the final address"
            : null;
    }
}
