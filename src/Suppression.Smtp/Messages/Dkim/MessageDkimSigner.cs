using MimeKit;
using MimeKit.Cryptography;
using Suppression.Smtp.Messages.FeedbackLoop;

namespace Suppression.Smtp.Messages.Dkim;

/// <summary>
/// Signs a message with DKIM (RFC 6376) when its From domain is one of the configured signing
/// domains. Built once at start-up, keys loaded once; one instance is shared by all sessions:
/// MimeKit's <see cref="DkimSigner"/> creates a fresh signing context for every message.
/// </summary>
public sealed class MessageDkimSigner
{
    // What a replay must not change (M3AAWG's DKIM signing advice): the author, the audience, where
    // replies go, what the message says and how it is read, and the unsubscribe fields RFC 8058 4
    // (and the Gmail and Yahoo bulk-sender rules) require to be signed.
    private static readonly HeaderId[] SignedFields =
    [
        HeaderId.From,
        HeaderId.To,
        HeaderId.Cc,
        HeaderId.ReplyTo,
        HeaderId.Subject,
        HeaderId.Date,
        HeaderId.MessageId,
        HeaderId.MimeVersion,
        HeaderId.ContentType,
        HeaderId.ListUnsubscribe,
        HeaderId.ListUnsubscribePost,
    ];

    // Oversigned (RFC 6376 8.15): listed once more than the message has them, so a field added in
    // transit, such as a second Subject or a Reply-To where there was none, breaks the signature
    // instead of being shown to the reader. MimeKit skips a listed field with no remaining instance,
    // which is RFC 6376 5.4.2's null string, so listing the name once more is all it takes.
    private static readonly HashSet<HeaderId> OversignedFields =
    [
        HeaderId.From,
        HeaderId.To,
        HeaderId.Cc,
        HeaderId.ReplyTo,
        HeaderId.Subject,
        HeaderId.Date,
        HeaderId.MessageId,
        HeaderId.ListUnsubscribe,
        HeaderId.ListUnsubscribePost,
    ];

    // The options UpstreamSmtpRelay sends with. Header values set from strings are written per these
    // options (International off: RFC 2047 words), so a sender that turns International on for
    // SMTPUTF8 must sign with the same options or non-ASCII headers set after parsing will not verify.
    private static readonly FormatOptions Format = CreateFormat();

    private readonly Dictionary<string, DomainSigner> _signersByDomain = new(StringComparer.Ordinal);

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
            DkimPrivateKey.TryLoad(signer.PrivateKeyFile, out var key, out var parameters, out _);
            var dkimSigner = new OpenSslDkimSigner(key!, parameters, domain, signer.Selector)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            _signersByDomain[domain] = new DomainSigner(dkimSigner, (signer.Tenants ?? []).ToHashSet(StringComparer.Ordinal));
        }
    }

    /// <summary>
    /// Adds a DKIM-Signature when a signer's domain equals the From domain and the signer is given to
    /// the message's tenant; returns false and leaves the message untouched otherwise. Call it last:
    /// any later change to a signed header or the body breaks the signature.
    /// </summary>
    /// <param name="tenant">The tenant the message belongs to, or null for mail relayed for no tenant.</param>
    /// <param name="coversFeedbackId">
    /// Whether the Feedback-ID is the gateway's own (the tenant's, stamped): then it is signed and
    /// oversigned. A client's is left out, so the gateway's signature vouches for no id it did not set.
    /// </param>
    public bool TrySign(MimeMessage message, string? tenant, bool coversFeedbackId = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_signersByDomain.Count == 0
            || !TryGetAuthorDomain(message, out var domain)
            || !_signersByDomain.TryGetValue(domain, out var signer)
            || !signer.Signs(tenant))
        {
            return false;
        }

        // The body is signed as the client sent it, 8-bit or not: it is relayed byte for byte, never
        // prepared or re-encoded (VerbatimSmtpClient), so bh= matches what the upstream receives.
        signer.Dkim.Sign(Format, message, FieldsToSign(message, coversFeedbackId));
        return true;
    }

    // Each field as often as the message has it (RFC 6376 5.4.2: a name listed n times signs the
    // last n instances), oversigned fields once more, absent ones that are not oversigned not at all.
    private static List<string> FieldsToSign(MimeMessage message, bool coversFeedbackId)
    {
        // MimeKit keeps the top-level entity's Content-* fields with the body, and signs them from there.
        var counts = new Dictionary<HeaderId, int>();
        foreach (var header in message.Body is null ? message.Headers : message.Headers.Concat(message.Body.Headers))
        {
            counts[header.Id] = counts.GetValueOrDefault(header.Id) + 1;
        }

        var fields = new List<string>(SignedFields.Length * 2 + 2);
        foreach (var field in SignedFields)
        {
            var times = counts.GetValueOrDefault(field) + (OversignedFields.Contains(field) ? 1 : 0);
            for (var i = 0; i < times; i++)
            {
                fields.Add(field.ToHeaderName());
            }
        }

        // MimeKit has no HeaderId for Feedback-ID, so it is listed by name; oversigned like the List-* fields.
        if (coversFeedbackId)
        {
            var times = message.Headers.Count(header => header.Field.Equals(FeedbackIdField.Name, StringComparison.OrdinalIgnoreCase)) + 1;
            for (var i = 0; i < times; i++)
            {
                fields.Add(FeedbackIdField.Name);
            }
        }

        return fields;
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

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    /// <param name="Tenants">Empty: the signer signs mail of no tenant only.</param>
    private sealed record DomainSigner(DkimSigner Dkim, HashSet<string> Tenants)
    {
        public bool Signs(string? tenant) => tenant is null ? Tenants.Count == 0 : Tenants.Contains(tenant);
    }
}
