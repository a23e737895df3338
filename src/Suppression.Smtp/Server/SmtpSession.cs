using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Suppression.Delivery;
using Suppression.Smtp.Messages;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Protocol.Commands;
using Suppression.Suppressions;

namespace Suppression.Smtp.Server;

/// <summary>
/// One client connection: reads command lines from the pipe, runs them through the state machine
/// and answers. Replies are flushed only when no further complete command is already buffered, so
/// a pipelining client (RFC 2920) gets its replies in one write, in order.
/// </summary>
public sealed class SmtpSession : IAsyncDisposable
{
    // RFC 5321 4.5.3.1.4: 512 octets including CRLF.
    public const int MaxCommandLineOctets = 512;

    private readonly SmtpServerServices _services;
    private readonly CancellationToken _connectionClosed;
    private readonly CancellationToken _serverStopping;
    private readonly CancellationTokenRegistration _stoppingRegistration;
    private readonly ILogger _logger;
    private CancellationTokenSource _readTimeout;
    private PipeReader _reader;
    private PipeWriter _writer;
    private SslStream? _tls;
    private bool _greeted;
    private bool _needMoreInput = true;
    private bool _idle;
    private int _errors;

    public SmtpSession(SmtpServerServices services, IDuplexPipe transport, IPAddress clientAddress, CancellationToken connectionClosed, CancellationToken serverStopping)
    {
        _services = services;
        _reader = transport.Input;
        _writer = transport.Output;
        ClientAddress = clientAddress.IsIPv4MappedToIPv6 ? clientAddress.MapToIPv4() : clientAddress;
        _connectionClosed = connectionClosed;
        _serverStopping = serverStopping;
        _readTimeout = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
        _logger = services.LoggerFactory.CreateLogger<SmtpSession>();
        MayRelay = services.RelayNetworks.Contains(ClientAddress);

        // A session waiting for its next command is told 421 and closed at shutdown; one in the
        // middle of a transaction is left to finish it (graceful drain).
        _stoppingRegistration = serverStopping.Register(() =>
        {
            if (Volatile.Read(ref _idle))
            {
                _reader.CancelPendingRead();
            }
        });
    }

    public SmtpServerOptions Options => _services.Options;

    public IRecipientPolicy Policy => _services.Policy;

    public IPAddress ClientAddress { get; }

    public bool MayRelay { get; }

    public bool IsExtended { get; private set; }

    public bool IsSecure => _tls is not null;

    public bool CanStartTls => _services.Certificate is not null && !IsSecure;

    public string ClientDomain { get; private set; } = string.Empty;

    public MailTransaction? Transaction { get; private set; }

    public SmtpState State => !_greeted
        ? SmtpState.Connected
        : Transaction is null ? SmtpState.Ready
        : Transaction.HasRecipients ? SmtpState.RecipientGiven : SmtpState.MailGiven;

    public async Task RunAsync()
    {
        Write(new SmtpReply(220, null, $"{Options.Hostname} ESMTP Suppression Gateway ready"));
        try
        {
            while (true)
            {
                var (command, reply, closing) = await ReadCommandAsync();
                if (closing is not null)
                {
                    Write(closing);
                    break;
                }

                if (command is null && reply is null)
                {
                    break; // The client closed the connection.
                }

                reply ??= await ExecuteAsync(command!);
                _logger.LogDebug("{Verb} answered {Code}", command?.Verb.ToString() ?? "(unparsed)", reply.Code);
                Write(reply);
                if (reply.Code >= 500 && ++_errors >= Options.MaxErrors)
                {
                    Write(SmtpReply.TooManyErrors(Options.Hostname));
                    break;
                }

                if (reply.ClosesConnection)
                {
                    break;
                }

                if (command is StartTlsCommand && reply.Code == 220 && !await StartTlsAsync())
                {
                    return;
                }
            }

            await _writer.FlushAsync(_connectionClosed);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            await EndTransactionAsync(CancellationToken.None);
        }
    }

    public async ValueTask GreetAsync(string clientDomain, bool extended, CancellationToken cancellationToken)
    {
        await EndTransactionAsync(cancellationToken);
        ClientDomain = clientDomain;
        IsExtended = extended;
        _greeted = true;
    }

    public void BeginTransaction(MailboxPath sender, bool smtpUtf8, bool eightBitMime) =>
        Transaction = new MailTransaction(NewTransactionId(), sender, smtpUtf8, eightBitMime);

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
                    BlockedDeliveryRecords.ForDropped(ClientAddress, transaction, messageId: null, _services.Time.GetUtcNow()),
                    cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _logger.LogWarning("Could not record {Count} blocked deliveries of abandoned transaction {TransactionId}: {Error}",
                    transaction.DroppedRecipients.Count, transaction.Id, exception.Message);
            }
        }
    }

    /// <summary>Records a refused (550) recipient at once; false when that record could not be written.</summary>
    public async ValueTask<bool> RecordRefusedRecipientAsync(MailboxPath recipient, SuppressionEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _services.BlockedDeliveryLog.RecordAsync(
                [BlockedDeliveryRecords.Create(ClientAddress, Transaction!, recipient, entry, messageId: null, _services.Time.GetUtcNow())],
                cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogWarning("Could not record a refused recipient: {Error}", exception.Message);
            return false;
        }
    }

    /// <summary>DATA: 354, the data block, then the pipeline's verdict as the final reply.</summary>
    public async ValueTask<SmtpReply> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction!;
        Write(new SmtpReply(354, null, "End data with <CR><LF>.<CR><LF>"));
        await _writer.FlushAsync(cancellationToken);
        await using var spool = new MessageSpool(Options.MemoryBufferBytes);
        var dataReader = new DataBlockReader(Options.MaxMessageBytes);
        DataBlockOutcome outcome;
        while (true)
        {
            var result = await ReadWithTimeoutAsync();
            if (result is null)
            {
                return SmtpReply.Timeout(Options.Hostname);
            }

            var buffer = result.Value.Buffer;
            var finished = dataReader.Consume(ref buffer, spool);
            if (finished is { } done)
            {
                // Whatever follows the terminator is pipelined commands: leave it unexamined, so the
                // command reader gets it at once instead of waiting for more bytes.
                _reader.AdvanceTo(buffer.Start);
                outcome = done;
                break;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);

            if (result.Value.IsCompleted)
            {
                throw new IOException("Connection closed during DATA");
            }
        }

        try
        {
            return outcome switch
            {
                DataBlockOutcome.Complete => await _services.Delivery.DeliverAsync(
                    transaction, spool, new SessionInfo(ClientAddress, ClientDomain, Options.Hostname, IsExtended, IsSecure), cancellationToken),
                DataBlockOutcome.TooLarge => new SmtpReply(552, "5.3.4", "Message size exceeds fixed maximum message size"),
                DataBlockOutcome.LineTooLong => new SmtpReply(554, "5.6.0", "Message has a line longer than 1000 octets (RFC 5321 4.5.3.1.6)"),
                _ => new SmtpReply(554, "5.6.0", "Message has a bare LF; lines must end with CRLF (RFC 5321 2.3.8)"),
            };
        }
        finally
        {
            // Dropped recipients not yet recorded (the message was refused before delivery) are recorded here.
            await EndTransactionAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stoppingRegistration.DisposeAsync();
        _readTimeout.Dispose();
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }
    }

    private async ValueTask<SmtpReply> ExecuteAsync(SmtpCommand command)
    {
        if (command.Verb == SmtpVerb.StartTls && _services.Certificate is null)
        {
            // Not offered in EHLO: "not implemented" (as for AUTH), not a sequence error.
            return SmtpReply.CommandNotImplemented;
        }

        if (!_services.StateMachine.TryGetNextState(State, command.Verb, out _))
        {
            return SmtpReply.BadSequence;
        }

        return await command.ExecuteAsync(this, _connectionClosed);
    }

    /// <summary>
    /// The next command: (command, null, null), or (null, error reply, null) for a line that does
    /// not parse, or (null, null, closing reply) when the session must end, or all null at end of input.
    /// </summary>
    private async ValueTask<(SmtpCommand? Command, SmtpReply? Error, SmtpReply? Closing)> ReadCommandAsync()
    {
        var discardingLongLine = false;
        while (true)
        {
            ReadResult result;
            if (_needMoreInput || !_reader.TryRead(out result))
            {
                await _writer.FlushAsync(_connectionClosed);
                if (_serverStopping.IsCancellationRequested)
                {
                    return (null, null, SmtpReply.ShuttingDown(Options.Hostname));
                }

                Volatile.Write(ref _idle, true);

                // Shutdown may have been signalled between the check above and becoming idle.
                if (_serverStopping.IsCancellationRequested)
                {
                    return (null, null, SmtpReply.ShuttingDown(Options.Hostname));
                }

                var read = await ReadWithTimeoutAsync();
                Volatile.Write(ref _idle, false);
                if (read is null)
                {
                    return (null, null, SmtpReply.Timeout(Options.Hostname));
                }

                result = read.Value;
                if (result.IsCanceled)
                {
                    return (null, null, SmtpReply.ShuttingDown(Options.Hostname));
                }
            }

            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } lineFeed)
            {
                var lineEnd = buffer.GetPosition(1, lineFeed);
                var line = buffer.Slice(0, lineEnd);
                if (discardingLongLine || line.Length > MaxCommandLineOctets)
                {
                    _reader.AdvanceTo(lineEnd);
                    _needMoreInput = false;
                    return (null, SmtpReply.LineTooLong, null);
                }

                var parsed = Parse(line);
                _reader.AdvanceTo(lineEnd);
                _needMoreInput = false;
                return (parsed.Command, parsed.Error, null);
            }

            // No complete line: a partial one over the limit is thrown away as it arrives.
            if (buffer.Length >= MaxCommandLineOctets)
            {
                discardingLongLine = true;
                _reader.AdvanceTo(buffer.End);
            }
            else
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                return (null, null, null);
            }

            // TryRead would hand back the same partial line: wait for more bytes.
            _needMoreInput = true;
        }
    }

    private static SmtpParseResult Parse(ReadOnlySequence<byte> line)
    {
        Span<byte> scratch = stackalloc byte[MaxCommandLineOctets];
        var span = line.IsSingleSegment ? line.FirstSpan : Copy(line, scratch);
        span = span[..^1]; // LF
        if (span.Length > 0 && span[^1] == (byte)'\r')
        {
            span = span[..^1];
        }

        return SmtpCommandParser.Parse(span);
    }

    private static ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> line, Span<byte> scratch)
    {
        line.CopyTo(scratch);
        return scratch[..(int)line.Length];
    }

    /// <returns>Null when the client was silent for longer than the command timeout.</returns>
    private async ValueTask<ReadResult?> ReadWithTimeoutAsync()
    {
        _readTimeout.CancelAfter(Options.CommandTimeout);
        try
        {
            return await _reader.ReadAsync(_readTimeout.Token);
        }
        catch (OperationCanceledException) when (!_connectionClosed.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            if (!_readTimeout.TryReset())
            {
                _readTimeout.Dispose();
                _readTimeout = CancellationTokenSource.CreateLinkedTokenSource(_connectionClosed);
            }
        }
    }

    private async ValueTask<bool> StartTlsAsync()
    {
        // RFC 3207 4 / CVE-2011-0411: anything the client pipelined after STARTTLS arrived in
        // clear and must not be executed inside the TLS session. Dropped before the 220 goes out:
        // once the client has it, the next bytes may already be its ClientHello.
        if (_reader.TryRead(out var pending))
        {
            _reader.AdvanceTo(pending.Buffer.End);
        }

        await _writer.FlushAsync(_connectionClosed);

        var tls = new SslStream(new DuplexStream(_reader.AsStream(leaveOpen: true), _writer.AsStream(leaveOpen: true)), leaveInnerStreamOpen: false);
        try
        {
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(_connectionClosed);
            handshakeTimeout.CancelAfter(TimeSpan.FromSeconds(30));
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = _services.Certificate, ClientCertificateRequired = false },
                handshakeTimeout.Token);
        }
        catch (Exception exception) when (exception is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            _logger.LogInformation("TLS handshake with {Client} failed: {Error}", ClientAddress, exception.Message);
            await tls.DisposeAsync();
            return false;
        }

        _tls = tls;
        _reader = PipeReader.Create(tls);
        _writer = PipeWriter.Create(tls);
        _greeted = false;
        Transaction = null;
        IsExtended = false;
        return true;
    }

    private void Write(SmtpReply reply) => reply.WriteTo(_writer);

    private static string NewTransactionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
