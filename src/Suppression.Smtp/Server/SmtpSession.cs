using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Suppression.Addresses;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Logins;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Protocol.Commands;
using Suppression.Smtp.Telemetry;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Smtp.Server;

/// <summary>
/// One client's SMTP conversation: asks the state table whether each command is legal, runs it,
/// answers it, and moves to the state the table names when the command took effect. Holds the
/// greeting and the open transaction, and closes the session after too many errors. Commands see
/// it only as their <see cref="ISmtpSessionContext"/>; the bytes are the <see cref="SmtpConnection"/>'s business.
/// </summary>
internal sealed class SmtpSession : ISmtpSessionContext, IAsyncDisposable
{
    public const int MaxCommandLineOctets = SmtpConnection.MaxCommandLineOctets;

    private readonly SmtpServerServices _services;
    private readonly SmtpConnection _connection;
    private readonly CancellationToken _connectionClosed;
    private readonly ILogger _logger;
    private readonly Tenant? _networkTenant;
    private readonly bool _relayByNetwork;
    private Tenant? _authenticatedTenant;
    private SmtpState _state = SmtpState.Connected;
    private int _errors;
    private int _junkCommands;

    /// <param name="abort">Drops the connection at once: for a client that stopped reading, whose unsent replies would hold the socket.</param>
    public SmtpSession(
        SmtpServerServices services, IDuplexPipe transport, Action abort, IPAddress clientAddress, CancellationToken connectionClosed, CancellationToken serverStopping)
    {
        _services = services;
        _connection = new SmtpConnection(transport, abort, services.Options, services.Time, connectionClosed, serverStopping);
        _connectionClosed = connectionClosed;
        ClientAddress = clientAddress.IsIPv4MappedToIPv6 ? clientAddress.MapToIPv4() : clientAddress;
        _logger = services.LoggerFactory.CreateLogger<SmtpSession>();
        _networkTenant = services.Tenants.ForClient(ClientAddress);
        _relayByNetwork = _networkTenant is not null || services.RelayNetworks.Contains(ClientAddress);
    }

    public SmtpServerOptions Options => _services.Options;

    public IRecipientPolicy Policy => _services.Policy;

    public IPAddress ClientAddress { get; }

    /// <summary>Relay needs the client in the relay networks or a tenant's networks, or a successful AUTH: no open relay.</summary>
    public bool MayRelay => _relayByNetwork || IsAuthenticated;

    /// <summary>The tenant this session's mail belongs to, by AUTH or the client's network; null when the message may name one.</summary>
    public Tenant? Tenant => _authenticatedTenant ?? _networkTenant;

    public bool IsAuthenticated => _authenticatedTenant is not null;

    /// <summary>AUTH is offered once some tenant has SMTP users, and only over TLS unless plaintext AUTH is allowed.</summary>
    public bool CanAuthenticate => _services.Authenticator.HasUsers && (IsSecure || Options.AllowPlaintextAuth) && !IsAuthenticated;

    public SmtpAuthenticator Authenticator => _services.Authenticator;

    public LoginFailures LoginFailures => _services.LoginFailures;

    public PasswordCheckTurns PasswordChecks => _services.PasswordChecks;

    public TimeProvider Time => _services.Time;

    /// <summary>Which of the gateway's own mailboxes, if any, this address is.</summary>
    public ILocalMailbox? LocalMailboxFor(NormalizedAddress recipient) =>
        _services.LocalMailboxes.FirstOrDefault(mailbox => mailbox.Accepts(recipient) || mailbox.Owns(recipient));

    public bool IsExtended { get; private set; }

    public bool IsSecure => _connection.IsSecure;

    public bool CanStartTls => _services.Certificate is not null && !IsSecure;

    public string ClientDomain { get; private set; } = string.Empty;

    public MailTransaction? Transaction { get; private set; }

    public async Task RunAsync()
    {
        _connection.Write(SmtpReplies.Greeting(Options.Hostname));
        try
        {
            while (true)
            {
                var (status, line) = await _connection.ReadCommandAsync();
                var reply = status switch
                {
                    CommandLineStatus.Line when IsJunkOverLimit(line.Command) => SmtpReplies.TooManyJunkCommands(Options.Hostname),
                    CommandLineStatus.Line => line.Error ?? await ExecuteAsync(line.Command!),
                    CommandLineStatus.TooLong => SmtpReplies.LineTooLong,
                    CommandLineStatus.TimedOut => SmtpReplies.Timeout(Options.Hostname),
                    CommandLineStatus.ShuttingDown => SmtpReplies.ShuttingDown(Options.Hostname),
                    _ => null, // The client closed the connection.
                };
                if (reply is null)
                {
                    break;
                }

                _logger.CommandAnswered(line.Command?.Verb, status, reply.Code);
                _connection.Write(reply);
                if (reply.Code >= 500 && ++_errors >= Options.MaxErrors)
                {
                    _connection.Write(SmtpReplies.TooManyErrors(Options.Hostname));
                    break;
                }

                if (line.Command is DataCommand && reply.Code == 250)
                {
                    // As Postfix: the junk count starts again once mail is delivered.
                    _junkCommands = 0;
                }

                if (reply.ClosesConnection)
                {
                    break;
                }

                if (line.Command is StartTlsCommand && reply.Code == 220)
                {
                    await StartTlsAsync();
                }
            }

            await _connection.FlushAsync();
        }
        catch (TlsHandshakeFailedException exception)
        {
            _logger.TlsHandshakeFailed(ClientAddress, exception);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception)
        {
            // Our fault, not the client's: a 421 (RFC 5321 3.8) tells it to keep the message and come
            // back, where a connection closed in mid-command leaves it guessing. The handler logs it.
            await TryAnswerAsync(SmtpReplies.LocalError(Options.Hostname));
            throw;
        }
        finally
        {
            await EndTransactionAsync(CancellationToken.None);
        }
    }

    private async ValueTask TryAnswerAsync(SmtpReply reply)
    {
        try
        {
            _connection.Write(reply);
            await _connection.FlushAsync();
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException or InvalidOperationException)
        {
            // The connection is already gone or its writer is unusable; closing says the rest.
        }
    }

    public async ValueTask GreetAsync(string clientDomain, bool extended, CancellationToken cancellationToken)
    {
        await EndTransactionAsync(cancellationToken);
        ClientDomain = clientDomain;
        IsExtended = extended;
    }

    // A username is often an address (news@sender.example); logs carry none, and the tenant says who it was.
    public void Authenticate(Tenant tenant, string username)
    {
        _authenticatedTenant = tenant;
        _logger.AuthSucceeded(AddressRedaction.Redact(username), tenant.Id, ClientAddress);
    }

    public void LogAuthFailure(string username, DateTimeOffset? lockedUntil)
    {
        var name = AddressRedaction.Redact(username.Length > 64 ? username[..64] : username);
        if (lockedUntil is { } until)
        {
            _logger.AuthFailedLockedOut(name, ClientAddress, until);
        }
        else
        {
            _logger.AuthFailed(name, ClientAddress);
        }
    }

    /// <summary>Sends a 334 challenge (RFC 4954 4) and returns the client's answer; null when the client went away or fell silent.</summary>
    public async Task<string?> ChallengeAsync(string base64Challenge)
    {
        _connection.Write(SmtpReplies.AuthChallenge(base64Challenge));
        await _connection.FlushAsync();
        var (status, line) = await _connection.ReadSaslResponseAsync();
        return status == CommandLineStatus.Line ? line : null;
    }

    public void BeginTransaction(MailboxPath sender, bool smtpUtf8, bool eightBitMime)
    {
        var id = NewTransactionId();
        Transaction = new MailTransaction(id, sender, smtpUtf8, eightBitMime, SmtpTelemetry.StartTransaction(id, ClientAddress, IsSecure, IsAuthenticated, Tenant?.Id));
    }

    /// <summary>Ends the transaction without a message; recipients dropped in it are still recorded.</summary>
    public async ValueTask EndTransactionAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction;
        Transaction = null;
        if (transaction is { DroppedRecipients.Count: > 0 })
        {
            try
            {
                await _services.BlockedDeliveryLog.RecordAsync(
                    BlockedDeliveryRecords.ForDropped(ClientAddress, transaction, messageId: null, Tenant?.Id, _services.Time.GetUtcNow()),
                    cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _logger.AbandonedBlockedDeliveriesNotRecorded(transaction.DroppedRecipients.Count, transaction.Id, exception);
            }
        }

        SmtpTelemetry.EndTransaction(transaction?.Span);
    }

    /// <summary>Records a refused (550) recipient at once; false when that record could not be written.</summary>
    public async ValueTask<bool> RecordRefusedRecipientAsync(MailboxPath recipient, SuppressionEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _services.BlockedDeliveryLog.RecordAsync(
                [BlockedDeliveryRecords.Create(ClientAddress, Transaction!, recipient, entry, messageId: null, _services.Time.GetUtcNow(), Tenant?.Id)],
                cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.RefusedRecipientNotRecorded(exception);
            return false;
        }
    }

    private SmtpReply BufferFailed(string failure)
    {
        // The operator's problem (TMPDIR full or read-only), not the client's: it keeps the message and retries.
        _logger.MessageNotBuffered(failure);
        return SmtpReplies.CannotBufferMessage;
    }

    /// <summary>DATA: 354, the data block, then the pipeline's verdict as the final reply.</summary>
    public async ValueTask<SmtpReply> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction!;
        _connection.Write(SmtpReplies.StartMailInput);
        await _connection.FlushAsync();
        await using var spool = new MessageSpool(Options.MemoryBufferBytes);
        try
        {
            var toLocalMailbox = transaction.Local is not null;
            var block = await _connection.ReadDataBlockAsync(
                new DataBlockReader(
                    toLocalMailbox ? Math.Min(Options.MaxMessageBytes, Options.MaxLocalMailboxBytes) : Options.MaxMessageBytes,
                    new MessageShapeLimits(Options.MaxHeaderBytes, Options.MaxHeaderFieldBytes, toLocalMailbox ? Options.MaxLocalMailboxParts : int.MaxValue),
                    liberal: toLocalMailbox),
                spool);
            if (block is not null)
            {
                SmtpTelemetry.MessageReceived(local: transaction.Local is not null);
            }

            var reply = block switch
            {
                null => SmtpReplies.Timeout(Options.Hostname),
                DataBlockOutcome.Complete when spool.Failure is { } failure => BufferFailed(failure),
                DataBlockOutcome.Complete when transaction.Local is { } local => await HandleLocalAsync(local, transaction, spool, cancellationToken),
                DataBlockOutcome.Complete => await _services.Delivery.DeliverAsync(
                    transaction, spool, new SessionInfo(ClientAddress, ClientDomain, Options.Hostname, IsExtended, IsSecure, Tenant, IsAuthenticated), cancellationToken),
                DataBlockOutcome.TooLarge when toLocalMailbox => SmtpReplies.LocalMessageTooLarge(Options.MaxLocalMailboxBytes),
                DataBlockOutcome.TooLarge => SmtpReplies.MessageTooLarge,
                DataBlockOutcome.HeaderTooLarge => SmtpReplies.HeaderTooLarge(Options.MaxHeaderBytes),
                DataBlockOutcome.HeaderFieldTooLarge => SmtpReplies.HeaderFieldTooLarge(Options.MaxHeaderFieldBytes),
                DataBlockOutcome.TooManyParts => SmtpReplies.TooManyParts(Options.MaxLocalMailboxParts),
                DataBlockOutcome.LineTooLong => SmtpReplies.MessageLineTooLong,
                DataBlockOutcome.BareCarriageReturn => SmtpReplies.BareCarriageReturn,
                _ => SmtpReplies.BareLineFeed,
            };
            SmtpTelemetry.MessageAnswered(transaction.Span, reply);
            return reply;
        }
        finally
        {
            // Dropped recipients not yet recorded (the message was refused before delivery) are recorded here.
            await EndTransactionAsync(CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private Task<SmtpReply> HandleLocalAsync(ILocalMailbox local, MailTransaction transaction, MessageSpool spool, CancellationToken cancellationToken) =>
        _services.LocalMailTurns.TakeTurnAsync(() => local.HandleAsync(transaction, spool, ClientAddress, cancellationToken), cancellationToken);

    // Commands that move no mail (Postfix's "junk" commands, plus HELP).
    private bool IsJunkOverLimit(SmtpCommand? command) =>
        (command?.Verb is SmtpVerb.Noop or SmtpVerb.Rset or SmtpVerb.Vrfy or SmtpVerb.Help) && ++_junkCommands > Options.MaxJunkCommands;

    private async ValueTask<SmtpReply> ExecuteAsync(SmtpCommand command)
    {
        if (!_services.StateMachine.Offers(command.Verb))
        {
            // Not offered in EHLO (STARTTLS without a certificate): "not implemented", as for AUTH, not a sequence error.
            return SmtpReplies.CommandNotImplemented;
        }

        if (!_services.StateMachine.TryGetNextState(_state, command.Verb, out var next))
        {
            return SmtpReplies.BadSequence;
        }

        // The command's own spans (a recipient check, the upstream copies) belong to the open
        // transaction's trace. Set here, in an async method, it lasts for this command only.
        Activity.Current = Transaction?.Span;
        var result = await command.ExecuteAsync(this, _connectionClosed);
        if (result.TookEffect)
        {
            _state = next;
        }

        return result.Reply;
    }

    // RFC 3207 4.2: after the handshake the session starts over, as if just connected (the table has
    // already moved it to Connected): the server MUST discard what it learnt from the client, the
    // EHLO argument and a successful AUTH included.
    // A login made in clear text (AllowPlaintextAuth) could have been a man in the middle's.
    private async ValueTask StartTlsAsync()
    {
        await _connection.UpgradeToTlsAsync(_services.Certificate!);
        Transaction = null;
        IsExtended = false;
        ClientDomain = string.Empty;
        _authenticatedTenant = null;
    }

    private static string NewTransactionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
