using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MimeKit;
using Suppression.Addresses;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;
using Suppression.Smtp.Telemetry;
using Suppression.Suppressions;
using Suppression.Telemetry;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.LocalMailboxes;

/// <summary>
/// Mail to the stamped <c>mailto:</c> link (RFC 2369 3.2): the token in its subject says whose
/// opt-out it is. The sender and the content do not matter (a mail client may send from an alias,
/// a provider may add text), and the From is not trusted: without a valid token nobody is unsubscribed,
/// because anyone can send mail claiming to be anyone.
/// </summary>
public sealed partial class MailtoUnsubscribe : ILocalMailbox
{
    private readonly NormalizedAddress _address;
    private readonly UnsubscribeTokenCodec _codec;
    private readonly UnsubscribeActions _actions;
    private readonly TimeProvider _time;
    private readonly ILogger<MailtoUnsubscribe> _logger;

    public MailtoUnsubscribe(string address, UnsubscribeTokenCodec codec, UnsubscribeActions actions, TimeProvider time, ILogger<MailtoUnsubscribe> logger)
    {
        if (!AddressNormalizer.TryNormalize(address, out _address, out var problem))
        {
            throw new ArgumentException($"The unsubscribe address '{address}' is not an address: {problem}", nameof(address));
        }

        _codec = codec;
        _actions = actions;
        _time = time;
        _logger = logger;
    }

    public bool Accepts(NormalizedAddress recipient) => recipient.Value == _address.Value;

    async Task<SmtpReply> ILocalMailbox.HandleAsync(MailTransaction transaction, MessageSpool spool, IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(spool);
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(LocalMailboxParsing.Options, spool.OpenRead(), persistent: true, cancellationToken);
        }
        catch (FormatException)
        {
            return new SmtpReply(554, "5.6.0", "Message is not in Internet Message Format (RFC 5322)");
        }

        var now = _time.GetUtcNow();
        var source = SuppressionSource.Mailto.Name();
        var span = UnsubscribeTelemetry.Start(UnsubscribeTelemetry.Unsubscribe, source);
        var outcome = UnsubscribeTelemetry.Unavailable;
        try
        {
            var token = FindToken(message, now);
            if (token is null)
            {
                _logger.MailtoTokenInvalid(transaction.Id);
                outcome = UnsubscribeTelemetry.TokenInvalid;
                return new SmtpReply(550, "5.7.1", "No valid unsubscribe token in the subject; use the unsubscribe link of a recent message");
            }

            UnsubscribeTelemetry.DescribeToken(span, token);
            var evidence = "mail to the unsubscribe address" + (message.MessageId is { } id ? $", Message-ID <{id}>" : string.Empty);
            var added = await _actions.UnsubscribeAsync(token, SuppressionSource.Mailto, new RequestOrigin(client.ToString(), UserAgent: null), now, cancellationToken, evidence);
            _logger.MailtoUnsubscribed(transaction.Id, added ? "recorded" : "already present");
            outcome = added ? UnsubscribeTelemetry.Recorded : UnsubscribeTelemetry.AlreadyPresent;
            return new SmtpReply(250, "2.0.0", "Unsubscribed: no more of this mail will be sent to you");
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not ArgumentException)
        {
            // The sending server keeps the message and tries again; the token stays valid for weeks.
            _logger.MailtoNotRecorded(transaction.Id, exception);
            return new SmtpReply(451, "4.3.0", "Temporary failure recording the unsubscribe, try again later");
        }
        finally
        {
            UnsubscribeTelemetry.Complete(span, UnsubscribeTelemetry.Unsubscribe, source, outcome);
        }
    }

    // The stamped subject is "unsubscribe-{token}"; a client may prefix "Re:" or wrap it, and a
    // person may paste it into the body instead, so both are searched, subject first.
    private UnsubscribeToken? FindToken(MimeMessage message, DateTimeOffset now)
    {
        var places = new[] { message.Subject, message.TextBody };
        foreach (var text in places)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (Match match in TokenPattern().Matches(text))
            {
                if (_codec.TryDecode(match.Groups["token"].Value, now, out var token, out _) && UnsubscribeActions.TryGetScope(token, out _))
                {
                    return token;
                }
            }
        }

        return null;
    }

    [GeneratedRegex("unsubscribe-(?<token>" + UnsubscribeLink.TokenPattern + ")", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TokenPattern();
}
