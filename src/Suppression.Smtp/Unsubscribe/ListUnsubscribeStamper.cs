using MimeKit;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.Unsubscribe;

/// <summary>
/// Stamps a recipient's unsubscribe token on a message as <c>List-Unsubscribe</c> (RFC 2369 3.2) and
/// <c>List-Unsubscribe-Post</c> (RFC 8058 3.1), so any mail client can offer one-click unsubscribe.
/// </summary>
public sealed class ListUnsubscribeStamper
{
    public const string ListUnsubscribe = "List-Unsubscribe";
    public const string ListUnsubscribePost = "List-Unsubscribe-Post";

    // RFC 8058 3.1: the exact body a one-click POST carries.
    public const string OneClick = "List-Unsubscribe=One-Click";

    private readonly string _linkPrefix;
    private readonly string? _mailtoAddress;
    private readonly SenderListUnsubscribe _senderHeaders;

    public ListUnsubscribeStamper(
        Uri publicBaseUrl,
        string? mailtoAddress = null,
        SenderListUnsubscribe senderHeaders = SenderListUnsubscribe.Replace)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        if (!publicBaseUrl.IsAbsoluteUri || (publicBaseUrl.Scheme != Uri.UriSchemeHttps && publicBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The public base URL '{publicBaseUrl}' must be an absolute https URL.", nameof(publicBaseUrl));
        }

        if (publicBaseUrl.Query.Length > 0 || publicBaseUrl.Fragment.Length > 0)
        {
            throw new ArgumentException($"The public base URL '{publicBaseUrl}' must not have a query or fragment: the token is appended to its path.", nameof(publicBaseUrl));
        }

        if (mailtoAddress is not null && !IsValidMailtoAddress(mailtoAddress))
        {
            throw new ArgumentException(
                $"The unsubscribe mailto address '{mailtoAddress}' must be a plain ASCII address (letters, digits, '.', '-', '_', '+', one '@') so it needs no escaping in a mailto URI (RFC 6068 2).",
                nameof(mailtoAddress));
        }

        _linkPrefix = UnsubscribeLink.Prefix(publicBaseUrl);
        _mailtoAddress = mailtoAddress;
        _senderHeaders = senderHeaders;
    }

    /// <summary>The one-click URL for a token: <c>{PublicBaseUrl}/u/{token}</c>.</summary>
    public string LinkFor(string token)
    {
        EnsureBase64Url(token);
        return _linkPrefix + token;
    }

    /// <summary>
    /// Sets both headers for this recipient's token. Called once per recipient on the same message, so a
    /// header this stamper wrote earlier is always replaced, whatever the sender policy.
    /// </summary>
    public void Stamp(MimeMessage message, string token)
    {
        ArgumentNullException.ThrowIfNull(message);
        var link = LinkFor(token);

        if (_senderHeaders == SenderListUnsubscribe.KeepIfPresent && HasSenderListUnsubscribe(message.Headers))
        {
            return;
        }

        message.Headers.RemoveAll(ListUnsubscribe);
        message.Headers.RemoveAll(ListUnsubscribePost);

        // RFC 2369 3.2: a comma-separated list of angle-bracketed URIs, most preferred first. RFC 8058 3.1:
        // the HTTPS URI is the one-click target; a mailto may accompany it. The token is base64url, so it
        // needs no escaping in a URL path or a mailto subject. MimeKit folds this header only at the space
        // after the comma, never inside <...>, which is the only place RFC 2369 allows a fold.
        var value = _mailtoAddress is null
            ? $"<{link}>"
            : $"<{link}>, <mailto:{_mailtoAddress}?subject=unsubscribe-{token}>";
        message.Headers.Add(ListUnsubscribe, value);
        message.Headers.Add(ListUnsubscribePost, OneClick);
    }

    // Ours are recognised by our link prefix: a copy stamped for an earlier recipient is not the sender's.
    private bool HasSenderListUnsubscribe(HeaderList headers) =>
        headers.Any(header =>
            header.Field.Equals(ListUnsubscribe, StringComparison.OrdinalIgnoreCase)
            && !header.Value.TrimStart().StartsWith("<" + _linkPrefix, StringComparison.Ordinal));

    private static void EnsureBase64Url(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException("An unsubscribe token must be non-empty base64url (letters, digits, '-', '_') to be safe in a URL path and a mailto subject.", nameof(token));
        }
    }

    /// <summary>Whether an address can go into a mailto URI as is: plain ASCII, one '@', nothing to escape.</summary>
    public static bool IsValidMailtoAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0
            && at < address.Length - 1
            && at == address.LastIndexOf('@')
            && address.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or '@');
    }
}
