using MimeKit;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Dkim;

/// <summary>
/// Signs the copies of a message with DKIM (RFC 6376) when its From domain is one of the configured
/// signing domains. Built once at start-up, keys loaded once; one instance is shared by all sessions,
/// and each message gets its own <see cref="MessageDkimSigning"/>, which hashes the body once.
/// </summary>
public sealed class MessageDkimSigner
{
    // What a replay must not change (M3AAWG's DKIM signing advice): the author, the audience, where
    // replies go, what the message says and how it is read, and the unsubscribe fields RFC 8058 4
    // (and the Gmail and Yahoo bulk-sender rules) require to be signed. Oversigned (RFC 6376 8.15):
    // listed once more than the copy has them, so a field added in transit, such as a second Subject
    // or a Reply-To where there was none, breaks the signature instead of being shown to the reader.
    private static readonly (string Name, bool Oversigned)[] SignedFields =
    [
        ("from", true),
        ("to", true),
        ("cc", true),
        ("reply-to", true),
        ("subject", true),
        ("date", true),
        ("message-id", true),
        ("mime-version", false),
        ("content-type", false),
        ("list-unsubscribe", true),
        ("list-unsubscribe-post", true),
    ];

    // The tenant's Feedback-ID when the gateway stamped it, oversigned like the List-* fields.
    private static readonly (string Name, bool Oversigned)[] SignedFieldsWithFeedbackId =
        [.. SignedFields, (FeedbackIdField.Name.ToLowerInvariant(), true)];

    private readonly Dictionary<string, DkimDomainKey> _keysByDomain = new(StringComparer.Ordinal);

    /// <exception cref="InvalidOperationException">The options fail <see cref="DkimOptions.Validate"/>.</exception>
    public MessageDkimSigner(DkimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = DkimOptions.Validate(options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        foreach (var signer in options.Signers ?? [])
        {
            DkimDomain.TryNormalize(signer.Domain, out var domain);
            DkimPrivateKey.TryLoad(signer.PrivateKeyFile, out _, out var parameters, out _);
            _keysByDomain[domain] = new DkimDomainKey(domain, signer.Selector, parameters, signer.Tenants ?? []);
        }
    }

    /// <summary>
    /// The signing of <paramref name="message"/>'s copies when a signer's domain equals its From
    /// domain and the signer is given to the message's tenant; null, and nothing signed, otherwise.
    /// </summary>
    /// <param name="tenant">The tenant the message belongs to, or null for mail relayed for no tenant.</param>
    /// <param name="coversFeedbackId">
    /// Whether the Feedback-ID is the gateway's own (the tenant's, stamped): then it is signed and
    /// oversigned. A client's is left out, so the gateway's signature vouches for no id it did not set.
    /// </param>
    /// <param name="timestamp">The <c>t=</c> of every copy's signature.</param>
    internal MessageDkimSigning? Begin(ClientMessage message, string? tenant, bool coversFeedbackId, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_keysByDomain.Count == 0
            || !TryGetAuthorDomain(message.Headers, out var domain)
            || !_keysByDomain.TryGetValue(domain, out var key)
            || !key.Signs(tenant))
        {
            return null;
        }

        // The body is signed as the client sent it, 8-bit or not: it is relayed byte for byte, never
        // prepared or re-encoded (VerbatimBody), so bh= matches what the upstream receives.
        return new MessageDkimSigning(message, key, coversFeedbackId ? SignedFieldsWithFeedbackId : SignedFields, timestamp);
    }

    // Exact domain match only: mail from news.example.com is not signed by a signer for example.com
    // (d=example.com would still align under relaxed DMARC, but signing a subdomain is a decision the
    // operator makes by configuring a signer for it).
    private static bool TryGetAuthorDomain(MimeMessage message, out string domain)
    {
        domain = string.Empty;

        // RFC 5322 3.6: exactly one From field. Two are malformed, and a way to show readers one author
        // while a verifier checks another, so such a message is left unsigned.
        if (message.Headers.Count(header => header.Id == HeaderId.From) != 1)
        {
            return false;
        }

        // Several authors (RFC 5322 3.6.2) are signed only when they share one domain.
        var domains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mailbox in message.From.Mailboxes)
        {
            if (!DkimDomain.TryNormalize(mailbox.Domain, out var normalized))
            {
                return false;
            }

            domains.Add(normalized);
        }

        if (domains.Count != 1)
        {
            return false;
        }

        domain = domains.First();
        return true;
    }
}
