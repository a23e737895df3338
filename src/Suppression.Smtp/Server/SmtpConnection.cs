using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Protocol;

namespace Suppression.Smtp.Server;

/// <summary>
/// The byte side of a session: command lines and DATA blocks found in the pipe's own buffers,
/// replies written to it, the timeouts (RFC 5321 4.5.3.2), shutdown while idle, and the STARTTLS
/// upgrade. Replies are flushed only when no further complete command is already buffered, so a
/// pipelining client (RFC 2920) gets its replies in one write, in order.
/// </summary>
/// <remarks>
/// The timeouts bound what a slow client (slowloris) can hold: the command timeout runs from the
/// start of a command line to its end, not from byte to byte; a DATA block must keep arriving at
/// <see cref="SmtpServerOptions.MinDataBytesPerSecond"/>; and a client that stops reading its replies is dropped
/// once a write has waited the command timeout.
/// </remarks>
internal sealed class SmtpConnection : IAsyncDisposable
{
    // RFC 5321 4.5.3.1.4: 512 octets including CRLF.
    public const int MaxCommandLineOctets = 512;

    public const int MaxSaslLineOctets = 12288;

    // Replies to pipelined commands wait for one write, but only up to this much of them: a client
    // that pipelines HELP without reading would otherwise make the server hold 25 bytes of reply
    // for every byte it sent.
    private const int MaxUnflushedReplyBytes = 64 * 1024;

    private readonly SmtpServerOptions _options;
    private readonly Action _abort;
    private readonly CancellationToken _connectionClosed;
    private readonly CancellationToken _serverStopping;
    private readonly CancellationTokenRegistration _stoppingRegistration;
    private readonly TimeProvider _time;
    private readonly ConnectionTimeout _timeout;
    private PipeReader _reader;
    private PipeWriter _writer;
    private SslStream? _tls;
    private bool _needMoreInput = true;
    private bool _idle;

    /// <param name="abort">Drops the connection at once, unsent replies and all.</param>
    /// <param name="time">The clock the timeouts run on.</param>
    public SmtpConnection(IDuplexPipe transport, Action abort, SmtpServerOptions options, TimeProvider time, CancellationToken connectionClosed, CancellationToken serverStopping)
    {
        _reader = transport.Input;
        _writer = transport.Output;
        _options = options;
        _abort = abort;
        _connectionClosed = connectionClosed;
        _serverStopping = serverStopping;
        _time = time;
        _timeout = new ConnectionTimeout(time, connectionClosed);

        // A connection waiting for its next command is woken at shutdown; one in the middle of a
        // transaction is left to finish it (graceful drain).
        _stoppingRegistration = serverStopping.Register(() =>
        {
            if (Volatile.Read(ref _idle))
            {
                _reader.CancelPendingRead();
            }
        });
    }

    public bool IsSecure => _tls is not null;

    public void Write(SmtpReply reply) => reply.WriteTo(_writer);

    /// <exception cref="IOException">The client has not read its replies for the command timeout; the connection is dropped.</exception>
    public async ValueTask FlushAsync()
    {
        // Without a timeout, a client that stops reading leaves the write waiting for window
        // space for ever, session slot and all (found by a slow-reader test).
        var timeout = _timeout.Start(_options.CommandTimeout);
        try
        {
            await _writer.FlushAsync(timeout);
        }
        catch (OperationCanceledException) when (!_connectionClosed.IsCancellationRequested)
        {
            // What is still unsent would keep the socket waiting too.
            _abort();
            throw new IOException("The client did not read its replies within the command timeout.");
        }
        finally
        {
            _timeout.Stop();
        }
    }

    /// <summary>The next command line, parsed, or why there is none.</summary>
    public ValueTask<(CommandLineStatus Status, SmtpParseResult Line)> ReadCommandAsync() =>
        ReadLineAsync(MaxCommandLineOctets, Parse);

    /// <summary>
    /// A client's answer to a 334 challenge (RFC 4954 4), without its line ending. RFC 4954 lets
    /// these run to 12288 octets, where a command line stops at 512.
    /// </summary>
    public ValueTask<(CommandLineStatus Status, string Line)> ReadSaslResponseAsync() =>
        ReadLineAsync(MaxSaslLineOctets, line => Encoding.ASCII.GetString(line).TrimEnd('\r', '\n'));

    private async ValueTask<(CommandLineStatus Status, T Line)> ReadLineAsync<T>(int maxOctets, Func<ReadOnlySequence<byte>, T> project)
    {
        // RFC 5321 4.5.3.2.7: at least five minutes for the next command, counted until the whole
        // line is in. Counted from each read, a client sending a byte a minute held its session as
        // long as it liked (found by a slowloris test).
        var started = _time.GetTimestamp();
        var discardingLongLine = false;
        if (_writer.CanGetUnflushedBytes && _writer.UnflushedBytes > MaxUnflushedReplyBytes)
        {
            await FlushAsync();
        }

        while (true)
        {
            ReadResult result;
            if (_needMoreInput || !_reader.TryRead(out result))
            {
                await FlushAsync();
                if (_serverStopping.IsCancellationRequested)
                {
                    return (CommandLineStatus.ShuttingDown, default!);
                }

                Volatile.Write(ref _idle, true);

                // Shutdown may have been signalled between the check above and becoming idle.
                if (_serverStopping.IsCancellationRequested)
                {
                    return (CommandLineStatus.ShuttingDown, default!);
                }

                var read = await ReadWithTimeoutAsync(_options.CommandTimeout - _time.GetElapsedTime(started));
                Volatile.Write(ref _idle, false);
                if (read is null)
                {
                    return (CommandLineStatus.TimedOut, default!);
                }

                result = read.Value;
                if (result.IsCanceled)
                {
                    return (CommandLineStatus.ShuttingDown, default!);
                }
            }

            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } lineFeed)
            {
                var lineEnd = buffer.GetPosition(1, lineFeed);
                var line = buffer.Slice(0, lineEnd);
                var status = discardingLongLine || line.Length > maxOctets ? CommandLineStatus.TooLong : CommandLineStatus.Line;
                var parsed = status == CommandLineStatus.Line ? project(line) : default!;
                _reader.AdvanceTo(lineEnd);
                _needMoreInput = false;
                return (status, parsed);
            }

            // No complete line: a partial one over the limit is thrown away as it arrives.
            if (buffer.Length >= maxOctets)
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
                return (CommandLineStatus.Closed, default!);
            }

            // TryRead would hand back the same partial line: wait for more bytes.
            _needMoreInput = true;
        }
    }

    /// <summary>Reads the DATA block into the spool; null when the client fell silent or too slow.</summary>
    /// <exception cref="IOException">The client closed the connection before the terminator.</exception>
    public async ValueTask<DataBlockOutcome?> ReadDataBlockAsync(DataBlockReader dataReader, MessageSpool spool)
    {
        // Timed from each read only, a client sending a byte a minute held its session for as long
        // as its message lasted (found by a slowloris test); see SmtpServerOptions.MinDataBytesPerSecond.
        var allowed = _options.CommandTimeout;
        var kept = 0L;
        while (true)
        {
            var started = _time.GetTimestamp();
            var result = await ReadWithTimeoutAsync(allowed);
            if (result is null)
            {
                return null;
            }

            var buffer = result.Value.Buffer;
            var received = buffer.Length - kept;
            allowed -= _time.GetElapsedTime(started);
            allowed += TimeSpan.FromSeconds((double)received / _options.MinDataBytesPerSecond);
            allowed = allowed > _options.CommandTimeout ? _options.CommandTimeout : allowed;
            if (dataReader.Consume(ref buffer, spool) is { } outcome)
            {
                // Whatever follows the terminator is pipelined commands: leave it unexamined, so the
                // command reader gets it at once instead of waiting for more bytes.
                _reader.AdvanceTo(buffer.Start);
                return outcome;
            }

            // The start of a line stays in the buffer, to come back with the next read.
            kept = buffer.Length;
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.Value.IsCompleted)
            {
                throw new IOException("Connection closed during DATA");
            }

            if (allowed <= TimeSpan.Zero)
            {
                return null;
            }
        }
    }

    /// <summary>Flushes the pending 220 and performs the TLS handshake.</summary>
    /// <exception cref="TlsHandshakeFailedException">The handshake did not complete.</exception>
    public async ValueTask UpgradeToTlsAsync(X509Certificate2 certificate)
    {
        // RFC 3207 4 / CVE-2011-0411: anything the client pipelined after STARTTLS arrived in
        // clear and must not be executed inside the TLS session. Dropped before the 220 goes out:
        // once the client has it, the next bytes may already be its ClientHello.
        if (_reader.TryRead(out var pending))
        {
            _reader.AdvanceTo(pending.Buffer.End);
        }

        await FlushAsync();

        var tls = new SslStream(new DuplexStream(_reader.AsStream(leaveOpen: true), _writer.AsStream(leaveOpen: true)), leaveInnerStreamOpen: false);
        try
        {
            using var handshakeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_connectionClosed, handshakeTimeout.Token);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = certificate, ClientCertificateRequired = false },
                handshake.Token);
        }
        catch (Exception exception) when (exception is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            await tls.DisposeAsync();
            throw new TlsHandshakeFailedException(exception.Message, exception);
        }

        _tls = tls;
        _reader = PipeReader.Create(tls);
        _writer = PipeWriter.Create(tls);
        _needMoreInput = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stoppingRegistration.DisposeAsync();
        _timeout.Dispose();
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
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

    /// <returns>Null when no bytes came within the time given.</returns>
    private async ValueTask<ReadResult?> ReadWithTimeoutAsync(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }

        var token = _timeout.Start(timeout);
        try
        {
            return await _reader.ReadAsync(token);
        }
        catch (OperationCanceledException) when (!_connectionClosed.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            _timeout.Stop();
        }
    }
}
