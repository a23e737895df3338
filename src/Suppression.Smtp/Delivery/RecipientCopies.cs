using MimeKit;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Dkim;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;
using Suppression.Smtp.Unsubscribe;

namespace Suppression.Smtp.Delivery;

/// <summary>
/// Makes each recipient's copy in turn: a Received field naming that recipient, their own
/// List-Unsubscribe link, and a DKIM signature made last so it covers the link, all amended on the
/// client's header-only message; each copy is then those fields, the client's fields as their own
/// bytes, and the client's body bytes (<see cref="CopyHeaderBlock"/>). Only fields this class added
/// are replaced between copies; the client's own, DKIM signatures included, stay as they came.
/// </summary>
public sealed class RecipientCopies
{
    private readonly ClientMessage _client;
    private readonly MimeMessage _message;
    private readonly MailTransaction _transaction;
    private readonly SessionInfo _session;
    private readonly MessageContext _context;
    private readonly DateTimeOffset _now;
    private readonly UnsubscribeStamping? _stamping;
    private readonly MessageDkimSigning? _signing;
    private readonly ReturnPathSigner? _returnPaths;
    private Header? _received;
    private Header? _signature;
    private VerbatimCopy? _copy;

    internal RecipientCopies(
        ClientMessage client, MailTransaction transaction, SessionInfo session, MessageContext context, DateTimeOffset now, UnsubscribeStamping? stamping, MessageDkimSigner? signer, ReturnPathSigner? returnPaths,
        bool stampedFeedbackId)
    {
        _returnPaths = returnPaths;
        _context = context;
        _client = client;
        _message = client.Headers;
        _transaction = transaction;
        _session = session;
        _now = now;
        _stamping = stamping;

        // Once per message: whether it is signed, and its body hash, which every copy shares.
        _signing = signer?.Begin(client, context.Tenant, stampedFeedbackId, now);
    }

    public VerbatimCopy PrepareFor(MailboxPath recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var headers = _message.Headers;
        if (_received is not null)
        {
            headers.Remove(_received);
        }

        // Each copy goes to one recipient, so its trace header can name them (RFC 5321 4.4 "for").
        _received = new Header("Received", ReceivedHeader.Build(
            _session.ClientDomain,
            _session.ClientAddress,
            _session.Hostname,
            _session.Extended,
            _session.Secure,
            _session.Authenticated,
            _transaction.SmtpUtf8,
            _transaction.Id,
            recipient.Mailbox,
            _now));
        headers.Insert(0, _received);

        _stamping?.Stamp(_message, recipient.Address!.Value, _context.Tenant, _context.Topic, _now);

        if (_signature is not null)
        {
            headers.Remove(_signature);
            _signature = null;
        }

        // Last: the signature covers the List-Unsubscribe fields just stamped (RFC 8058 4), and the
        // tenant's Feedback-ID when the gateway stamped it (Gmail reads it only when signed).
        var lines = CopyHeaderBlock.Fields(_client).ToList();
        _signature = _signing?.SignCopy(lines);

        var block = CopyHeaderBlock.Compose(lines, _signature);
        if (_copy is null || !_copy.TryCarry(block))
        {
            var signing = _signature is null ? null : _signing;
            _copy = VerbatimCopy.Of(block, _client, _transaction.EightBitMime, signing is null ? null : signing.SignConverted);
        }

        return _copy;
    }

    /// <summary>
    /// The MAIL FROM of this recipient's copy: its signed return path when a return-path domain
    /// applies, else the client's own. A null sender stays null: a notification must not cause
    /// another (RFC 5321 4.5.5), and the gateway's own DSNs go to the client's sender either way.
    /// </summary>
    public string EnvelopeSenderFor(MailboxPath recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return _transaction.Sender.IsNull
            ? _transaction.Sender.Mailbox
            : _returnPaths?.SenderFor(recipient.Address!.Value, _context, _now) ?? _transaction.Sender.Mailbox;
    }
}
