using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NSubstitute;
using Suppression.Delivery;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Delivery.Dsn;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Server;

/// <summary>
/// A session's collaborators: substitutes for the three narrow seams (policy, relay, blocked-delivery
/// log) that record what the session asked of them.
/// </summary>
internal sealed class SessionHarness
{
    /// <summary>A small well-formed message whose Message-ID the tests look for.</summary>
    public const string SampleMessage =
        "From: <sender@client.example>\r\n" +
        "To: <a@example.com>\r\n" +
        "Message-ID: <m1@client.example>\r\n" +
        "Subject: test\r\n" +
        "\r\n" +
        "Hello\r\n";

    public static readonly SuppressionEntry Unsubscribed =
        new(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly SuppressionEntry HardBounced =
        new(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Dsn, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static readonly FormatOptions Dos = CreateFormat();

    private readonly Dictionary<string, RecipientVerdict> _verdicts = new(StringComparer.Ordinal);

    public SessionHarness()
    {
        // Configuring a substitute calls the method without consuming the ValueTask it returns.
#pragma warning disable CA2012
        Policy.CheckAsync(Arg.Any<RecipientCheck>(), Arg.Any<CancellationToken>())
            .Returns(call => ValueTask.FromResult(DecisionFor(call.Arg<RecipientCheck>())));
#pragma warning restore CA2012
        Relay.RelayAsync(Arg.Any<RelayEnvelope>(), Arg.Any<MimeMessage>(), Arg.Any<CancellationToken>())
            .Returns(call => RelayFailure is null
                ? Task.FromResult(Capture(call.Arg<RelayEnvelope>(), call.Arg<MimeMessage>()))
                : Task.FromException<RelayResult>(RelayFailure));
        AcceptedCopies.GetAcceptedAsync(Arg.Any<string>(), Arg.Any<IReadOnlyList<Suppression.Addresses.NormalizedAddress>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IReadOnlySet<string>>(new HashSet<string>()));
        RecordedBlockedDeliveries.GetRecordedAsync(Arg.Any<string>(), Arg.Any<IReadOnlyList<Suppression.Addresses.NormalizedAddress>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IReadOnlySet<string>>(new HashSet<string>()));
        BlockedDeliveryLog.RecordAsync(Arg.Any<IReadOnlyList<BlockedDelivery>>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                if (BlockedDeliveryLogFailure is not null)
                {
                    return Task.FromException(BlockedDeliveryLogFailure);
                }

                Blocked.AddRange(call.Arg<IReadOnlyList<BlockedDelivery>>());
                return Task.CompletedTask;
            });
    }

    public SmtpServerOptions Options { get; } = new()
    {
        Hostname = "gateway.test",
        MaxMessageBytes = 100_000,
        MaxErrors = 100,
        CommandTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The clock of everything the sessions use; it moves only when a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public IRecipientPolicy Policy { get; } = Substitute.For<IRecipientPolicy>();

    public IMessageRelay Relay { get; } = Substitute.For<IMessageRelay>();

    public IBlockedDeliveryLog BlockedDeliveryLog { get; } = Substitute.For<IBlockedDeliveryLog>();

    /// <summary>Remembers nothing unless a test says otherwise: every copy is relayed.</summary>
    public IAcceptedCopies AcceptedCopies { get; } = Substitute.For<IAcceptedCopies>();

    public IRecordedBlockedDeliveries RecordedBlockedDeliveries { get; } = Substitute.For<IRecordedBlockedDeliveries>();

    /// <summary>The SMTP AUTH users; none (AUTH not offered) unless a test says otherwise.</summary>
    public SmtpAuthenticator Authenticator { get; set; } = SmtpAuthenticator.None;

    /// <summary>The configured tenants; none unless a test says otherwise.</summary>
    public TenantDirectory Tenants { get; set; } = TenantDirectory.None;

    /// <summary>What each copy gets besides the Received header; nothing unless a test sets stamping or signing.</summary>
    public RecipientCopyWriter CopyWriter { get; set; } = new(stamping: null, signer: null);

    /// <summary>What the relay answers; accepted unless a test says otherwise.</summary>
    public RelayResult RelayResult { get; set; } = RelayResult.Accepted("2.0.0 Ok: queued");

    /// <summary>When set, the relay throws it instead of answering.</summary>
    public Exception? RelayFailure { get; set; }

    /// <summary>When set, recording blocked deliveries fails with it.</summary>
    public Exception? BlockedDeliveryLogFailure { get; set; }

    /// <summary>When set, what the relay answers for each copy, by its single recipient.</summary>
    public Func<string, RelayResult>? RelayResultFor { get; set; }

    public List<RelayedMessage> Relayed { get; } = [];

    /// <summary>Every copy goes to one recipient: these are the recipients of the copies relayed, in order.</summary>
    public List<string> RelayedRecipients() => Relayed.Select(copy => Assert.Single(copy.Envelope.Recipients)).ToList();

    public List<BlockedDelivery> Blocked { get; } = [];

    /// <summary>The policy's verdict for one normalized recipient; every other recipient is delivered.</summary>
    public void Decide(string recipient, RecipientVerdict verdict) => _verdicts[recipient] = verdict;

    /// <summary>The gateway's own mailboxes the sessions get.</summary>
    public List<ILocalMailbox> LocalMailboxes { get; } = [];

    public SmtpTranscript Connect(
        string clientAddress = "127.0.0.1",
        X509Certificate2? certificate = null,
        IRecipientPolicy? policy = null,
        CancellationToken serverStopping = default) =>
        new(Services(certificate, policy), IPAddress.Parse(clientAddress), serverStopping);

    /// <summary>What sessions share; one instance given to several <see cref="SmtpTranscript"/>s makes them one server's.</summary>
    public SmtpServerServices Services(X509Certificate2? certificate = null, IRecipientPolicy? policy = null) =>
            new SmtpServerServices(
                Options,
                policy ?? Policy,
                new MessageDelivery(Relay, BlockedDeliveryLog, new BlockedDeliveryRecorder(BlockedDeliveryLog, RecordedBlockedDeliveries, NullLogger<BlockedDeliveryRecorder>.Instance), AcceptedCopies, CopyWriter, new RefusalNotifier(Relay, new UpstreamOptions(), Time, NullLogger<RefusalNotifier>.Instance), Time, NullLogger<MessageDelivery>.Instance, Tenants),
                BlockedDeliveryLog,
                certificate,
                Time,
                NullLoggerFactory.Instance,
                LocalMailboxes,
                tenants: Tenants,
                authenticator: Authenticator);

    private RecipientDecision DecisionFor(RecipientCheck check) =>
        _verdicts.TryGetValue(check.Recipient.Value, out var verdict)
            ? new RecipientDecision(verdict, verdict is RecipientVerdict.Drop or RecipientVerdict.Refuse ? Unsubscribed : null)
            : RecipientDecision.Deliver;

    private RelayResult Capture(RelayEnvelope envelope, MimeMessage message)
    {
        // Written out now: the message reads from the session's spool, which is gone once DATA ends.
        using var bytes = new MemoryStream();
        message.WriteTo(Dos, bytes);
        Relayed.Add(new RelayedMessage(envelope, bytes.ToArray()));
        return RelayResultFor?.Invoke(envelope.Recipients[0]) ?? RelayResult;
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
