using System.Net;
using Suppression.Addresses;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Logins;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Smtp.Protocol;

/// <summary>
/// What a command sees of the session it runs in, and all it may do there. The session implements
/// it; commands know nothing else of the session, its connection or its state.
/// </summary>
internal interface ISmtpSessionContext
{
    SmtpServerOptions Options { get; }

    IPAddress ClientAddress { get; }

    /// <summary>Whether the client greeted with EHLO (ESMTP parameters are allowed), not HELO.</summary>
    bool IsExtended { get; }

    bool IsSecure { get; }

    bool CanStartTls { get; }

    /// <summary>Relay needs the client in the relay networks or a tenant's networks, or a successful AUTH: no open relay.</summary>
    bool MayRelay { get; }

    /// <summary>The tenant this session's mail belongs to, by AUTH or the client's network; null when the message may name one.</summary>
    Tenant? Tenant { get; }

    /// <summary>The open transaction, from MAIL until DATA, RSET or a new greeting ends it.</summary>
    MailTransaction? Transaction { get; }

    IRecipientPolicy Policy { get; }

    /// <summary>Ends any open transaction and takes the client's greeting.</summary>
    ValueTask GreetAsync(string clientDomain, bool extended, CancellationToken cancellationToken);

    void BeginTransaction(MailboxPath sender, bool smtpUtf8, bool eightBitMime);

    /// <summary>Ends the transaction without a message; recipients dropped in it are still recorded.</summary>
    ValueTask EndTransactionAsync(CancellationToken cancellationToken);

    /// <summary>Which of the gateway's own mailboxes, if any, this address is.</summary>
    ILocalMailbox? LocalMailboxFor(NormalizedAddress recipient);

    /// <summary>Records a refused (550) recipient at once; false when that record could not be written.</summary>
    ValueTask<bool> RecordRefusedRecipientAsync(MailboxPath recipient, SuppressionEntry entry, CancellationToken cancellationToken);

    /// <summary>DATA: 354, the data block, then the pipeline's verdict as the final reply; the transaction ends.</summary>
    ValueTask<SmtpReply> ReceiveMessageAsync(CancellationToken cancellationToken);

    // AUTH (RFC 4954).
    bool IsAuthenticated { get; }

    /// <summary>AUTH is offered once some tenant has SMTP users, and only over TLS unless plaintext AUTH is allowed.</summary>
    bool CanAuthenticate { get; }

    SmtpAuthenticator Authenticator { get; }

    LoginFailures LoginFailures { get; }

    PasswordCheckTurns PasswordChecks { get; }

    TimeProvider Time { get; }

    /// <summary>Sends a 334 challenge (RFC 4954 4) and returns the client's answer; null when the client went away or fell silent.</summary>
    Task<string?> ChallengeAsync(string base64Challenge);

    void Authenticate(Tenant tenant, string username);

    void LogAuthFailure(string username, DateTimeOffset? lockedUntil);
}
