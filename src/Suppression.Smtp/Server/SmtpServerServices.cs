using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Suppression.Delivery;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Logins;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.Server;

/// <summary>Everything a session shares with every other session, built once at start-up.</summary>
public sealed class SmtpServerServices
{
    public SmtpServerServices(
        SmtpServerOptions options,
        IRecipientPolicy policy,
        MessageDelivery delivery,
        IBlockedDeliveryLog blockedDeliveryLog,
        X509Certificate2? certificate,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IReadOnlyList<ILocalMailbox>? localMailboxes = null,
        TenantDirectory? tenants = null,
        SmtpAuthenticator? authenticator = null,
        LoginFailures? loginFailures = null)
    {
        LocalMailboxes = localMailboxes ?? [];
        Tenants = tenants ?? TenantDirectory.None;
        Authenticator = authenticator ?? SmtpAuthenticator.None;
        LoginFailures = loginFailures ?? new LoginFailures(options.ToLoginLimits(), time);
        PasswordChecks = new PasswordCheckTurns(options.MaxAuthChecksPerClient);
        Options = options;
        Policy = policy;
        Delivery = delivery;
        BlockedDeliveryLog = blockedDeliveryLog;
        Certificate = certificate;
        Time = time;
        LoggerFactory = loggerFactory;
        RelayNetworks = new RelayNetworks(options.EffectiveRelayNetworks);
        ClientSessions = new ClientSessionLimiter(options.MaxSessionsPerClient);
        LocalMailTurns = new LocalMailTurns(options.MaxConcurrentLocalMail);
        StateMachine = new SmtpStateMachine(startTlsOffered: certificate is not null, authOffered: Authenticator.HasUsers);
    }

    public SmtpServerOptions Options { get; }

    public IRecipientPolicy Policy { get; }

    public MessageDelivery Delivery { get; }

    public TenantDirectory Tenants { get; }

    public SmtpAuthenticator Authenticator { get; }

    /// <summary>Wrong passwords per client and name, and the lockouts they start; shared with the HTTP API that clears them.</summary>
    public LoginFailures LoginFailures { get; }

    /// <summary>Turns at checking a password (<see cref="SmtpServerOptions.MaxAuthChecksPerClient"/>).</summary>
    public PasswordCheckTurns PasswordChecks { get; }

    /// <summary>The gateway's own mailboxes (unsubscribe, feedback); none when neither is configured.</summary>
    public IReadOnlyList<ILocalMailbox> LocalMailboxes { get; }

    public IBlockedDeliveryLog BlockedDeliveryLog { get; }

    public X509Certificate2? Certificate { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public RelayNetworks RelayNetworks { get; }

    /// <summary>Sessions per client outside the relay networks (<see cref="SmtpServerOptions.MaxSessionsPerClient"/>).</summary>
    public ClientSessionLimiter ClientSessions { get; }

    /// <summary>Turns at handling mail to the local mailboxes (<see cref="SmtpServerOptions.MaxConcurrentLocalMail"/>).</summary>
    public LocalMailTurns LocalMailTurns { get; }

    /// <summary>Whether the client is one of the senders: in the relay networks or a tenant's.</summary>
    public bool IsKnownSender(IPAddress client) => RelayNetworks.Contains(client) || Tenants.ForClient(client) is not null;

    internal SmtpStateMachine StateMachine { get; }
}
