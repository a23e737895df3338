namespace Suppression.Unsubscribe;

/// <summary>
/// A recipient's one-click link, <c>{PublicBaseUrl}/u/{token}</c>: the relay stamps it, the gateway
/// serves its pages, and a returned report is searched for it, all from this one definition.
/// </summary>
public static class UnsubscribeLink
{
    /// <summary>The path under the public base URL that the token follows.</summary>
    public const string Path = "/u";

    /// <summary>A token as it appears in text: base64url (RFC 4648 section 5), 20 to 200 characters.</summary>
    public const string TokenPattern = "[A-Za-z0-9_-]{20,200}";

    /// <summary>What a token is appended to: with or without a trailing slash, and with a path prefix, <c>{base}/u/</c>.</summary>
    public static string Prefix(Uri publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return publicBaseUrl.AbsoluteUri.TrimEnd('/') + Path + "/";
    }
}
