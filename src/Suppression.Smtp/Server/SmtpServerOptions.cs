using Suppression.Smtp.Policy;

namespace Suppression.Smtp.Server;

/// <summary><c>Suppression:Smtp</c>: the listener, its limits and who may relay.</summary>
public sealed class SmtpServerOptions
{
    public static readonly string[] DefaultRelayNetworks = ["127.0.0.0/8", "::1/128"];

    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 2525;

    public string Hostname { get; set; } = Environment.MachineName;

    /// <summary>Null means the defaults; an explicitly empty list means nobody relays without AUTH.</summary>
    public string[]? RelayNetworks { get; set; }

    public long MaxMessageBytes { get; set; } = 26_214_400;

    public int MaxRecipients { get; set; } = 1000;

    /// <summary>
    /// The header block, up to its empty line (RFC 5322 2.1); a message with a larger one is refused
    /// after DATA (552 5.3.4), nothing relayed. Real mail stays far below it: a message's header is
    /// kilobytes, tens of them with many Received and signature fields.
    /// </summary>
    public int MaxHeaderBytes { get; set; } = 1_048_576;

    /// <summary>
    /// One header field with its folded lines, in the message's header or any MIME part's, as
    /// Postfix's <c>header_size_limit</c> (same default); a larger one is refused after DATA (552 5.3.4).
    /// </summary>
    public int MaxHeaderFieldBytes { get; set; } = 102_400;

    /// <summary>
    /// Mail to the gateway's own mailboxes (feedback, unsubscribe) comes from anyone, so it gets a
    /// smaller size than relayed mail; larger is refused after DATA (552 5.3.4).
    /// </summary>
    public long MaxLocalMailboxBytes { get; set; } = 2_097_152;

    /// <summary>
    /// Lines beginning with "--" (every MIME boundary does, RFC 2046 5.1.1) in mail to the gateway's own
    /// mailboxes; more is refused after DATA (554 5.6.0) before any of it is parsed.
    /// </summary>
    public int MaxLocalMailboxParts { get; set; } = 1000;

    /// <summary>
    /// Messages to the gateway's own mailboxes parsed at once; the next waits its turn. Parsing is
    /// what a stranger's mail costs (tens of megabytes for a header block of tiny fields at
    /// <see cref="MaxHeaderBytes"/>), so this, not the number of strangers' sessions, bounds it.
    /// </summary>
    public int MaxConcurrentLocalMail { get; set; } = 4;

    public BlockedRecipientAction BlockedRecipient { get; set; } = BlockedRecipientAction.Drop;

    /// <summary>PEM or PFX; STARTTLS is offered only when set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The private key when <see cref="CertificatePath"/> is PEM without the key inside.</summary>
    public string? CertificateKeyPath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Concurrent sessions; the next client is told 421 4.7.0 at connect.</summary>
    public int MaxSessions { get; set; } = 200;

    /// <summary>
    /// Concurrent sessions from one client address (one /64 for IPv6) outside <see cref="RelayNetworks"/>
    /// and the tenants' networks; the next is told 421 4.7.0 at connect. The feedback and unsubscribe
    /// addresses take mail from anywhere, so without it one stranger could hold every session.
    /// </summary>
    public int MaxSessionsPerClient { get; set; } = 20;

    /// <summary>
    /// Concurrent sessions of all clients outside <see cref="RelayNetworks"/> and the tenants' networks
    /// together (strangers: mailbox providers sending reports, people replying to the unsubscribe
    /// address, anyone else); the next stranger is told 421 4.7.0 at connect. Null means half of
    /// <see cref="MaxSessions"/>: the rest stays free for the marketing systems, however many
    /// addresses strangers connect from.
    /// </summary>
    public int? MaxStrangerSessions { get; set; }

    public int EffectiveMaxStrangerSessions => MaxStrangerSessions ?? Math.Max(1, MaxSessions / 2);

    /// <summary>Error replies in one session before the server answers 421 and closes it.</summary>
    public int MaxErrors { get; set; } = 10;

    /// <summary>
    /// NOOP, RSET, VRFY and HELP commands since the session's last accepted message before the
    /// server answers 421 and closes it (as Postfix's <c>smtpd_junk_command_limit</c>): otherwise a
    /// client that never sends mail could hold one of <see cref="MaxSessions"/> forever with NOOPs.
    /// </summary>
    public int MaxJunkCommands { get; set; } = 100;

    /// <summary>
    /// RFC 5321 4.5.3.2.7: at least five minutes. The time a whole command line may take to arrive,
    /// and a write to wait for the client to read; a DATA block gets it too, topped up as its bytes
    /// arrive at <see cref="MinDataBytesPerSecond"/> or more.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The slowest DATA a session waits for, as Postfix's <c>smtpd_min_data_rate</c> (same default):
    /// the time allowed starts at the command timeout, each read spends what it waited and earns its
    /// bytes at this rate, never above the command timeout.
    /// </summary>
    public int MinDataBytesPerSecond { get; set; } = 500;

    /// <summary>Messages up to this size are buffered in memory; larger ones spill to a temporary file.</summary>
    public int MemoryBufferBytes { get; set; } = 1_048_576;

    /// <summary>Offer AUTH without TLS (RFC 4954 4 says not to: the password crosses in clear).</summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>Wrong passwords from one client address (IPv6: /64) for one user name before that name is locked out there (454).</summary>
    public int MaxAuthFailures { get; set; } = 5;

    /// <summary>Wrong passwords from one client address (IPv6: /64) for any names before AUTH from there is locked out: guessing names.</summary>
    public int MaxAuthFailuresPerClient { get; set; } = 20;

    /// <summary>The lockout the limit's failure starts; each further failure doubles it, up to <see cref="MaxAuthLockout"/>.</summary>
    public TimeSpan AuthLockout { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxAuthLockout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long failures are remembered: they are forgotten once this long has passed since the last
    /// one and since the lockout it started ended. Long, so that waiting out a lockout does not buy a
    /// fresh set of guesses; a right password clears its name's failures at once.
    /// </summary>
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Password checks in flight at once from one client address (IPv6: /64); more wait their turn.
    /// Bounds the CPU one address can spend on PBKDF2, and the guesses that can slip past a lockout.
    /// </summary>
    public int MaxAuthChecksPerClient { get; set; } = 2;

    public Logins.LoginLimits ToLoginLimits() => new(MaxAuthFailures, MaxAuthFailuresPerClient, AuthLockout, MaxAuthLockout, AuthFailureWindow);

    public IReadOnlyList<string> EffectiveRelayNetworks => RelayNetworks ?? DefaultRelayNetworks;
}
