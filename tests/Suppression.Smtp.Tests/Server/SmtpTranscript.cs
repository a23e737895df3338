using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Tests.Server;

/// <summary>
/// The client end of an in-memory connection to one <see cref="SmtpSession"/>: two pipes, one per
/// direction. Tests read as transcripts: send a line, read the reply.
/// </summary>
/// <remarks>
/// The session's timeouts run on the harness's FakeTimeProvider. A test moves that clock only once
/// the session waits on the client (<see cref="WaitingAsync"/>), so its timeout is running and no
/// byte is still on its way: what happens is the same on every run, however busy the machine.
/// </remarks>
internal sealed class SmtpTranscript : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly SmtpSession _session;
    private readonly SessionWaits _waits = new();

    public SmtpTranscript(SmtpServerServices services, IPAddress clientAddress, CancellationToken serverStopping)
    {
        var input = new WatchedPipeReader(_toServer.Reader, _waits);
        var output = new StallingPipeWriter(_toClient.Writer, StallAfterFlushAsync, _waits);
        _session = new SmtpSession(services, new Transport(input, output), Abort, clientAddress, CancellationToken.None, serverStopping);
        Completion = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Whether the session dropped the connection (a client that stopped reading).</summary>
    public bool Aborted { get; private set; }

    /// <summary>Completes when the session has ended and closed its side of the connection.</summary>
    public Task Completion { get; }

    /// <summary>
    /// When set, the session's next flush returns only once the client has sent more bytes: the
    /// server thread is as slow as it may be, so races with a fast client become deterministic.
    /// </summary>
    public bool StallNextFlushUntilClientWrites { get; set; }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _toServer.Writer.WriteAsync(bytes);

    /// <summary>
    /// Returns once the session waits on the client, for bytes it has not got or for room to write
    /// its replies, with its timeout running; false once the session has ended instead.
    /// </summary>
    public async Task<bool> WaitingAsync()
    {
        var waiting = _waits.CurrentAsync();
        return await Task.WhenAny(waiting, Completion).WaitAsync(ReplyTimeout) == waiting;
    }

    /// <summary>
    /// Sends the bytes to a session that is waiting for them and returns once it has dealt with
    /// them and waits on the client again; false once the session has ended instead.
    /// </summary>
    public async Task<bool> SendWhenWaitingAsync(byte[] bytes)
    {
        var waiting = _waits.CurrentAsync();
        if (await Task.WhenAny(waiting, Completion).WaitAsync(ReplyTimeout) != waiting)
        {
            return false;
        }

        var next = _waits.AfterAsync(await waiting);
        await SendAsync(bytes);
        return await Task.WhenAny(next, Completion).WaitAsync(ReplyTimeout) == next;
    }

    public async Task<SmtpResponse> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Reads lines until the final "NNN " line of one reply.</summary>
    public async Task<SmtpResponse> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var lines = new List<string>();
        var reader = _toClient.Reader;
        while (true)
        {
            var result = await reader.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } lineFeed)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, lineFeed).ToArray());
                buffer = buffer.Slice(buffer.GetPosition(1, lineFeed));
                Assert.True(line.EndsWith('\r'), $"reply line without CRLF: {line}");
                line = line[..^1];
                lines.Add(line);
                if (line.Length < 4 || line[3] == ' ')
                {
                    reader.AdvanceTo(buffer.Start);
                    return new SmtpResponse(lines);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new InvalidOperationException("The session closed the connection in the middle of a reply: " + string.Join(" | ", lines));
            }
        }
    }

    /// <summary>How many bytes of replies the session has flushed that the client has not read, once there are some.</summary>
    public async Task<long> UnreadReplyBytesAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var result = await _toClient.Reader.ReadAsync(timeout.Token);
        _toClient.Reader.AdvanceTo(result.Buffer.Start);
        return result.Buffer.Length;
    }

    /// <summary>Asserts that the session has ended and that nothing follows the replies already read.</summary>
    public async Task AssertClosedAsync()
    {
        await Completion.WaitAsync(ReplyTimeout);
        var result = await _toClient.Reader.ReadAsync();
        Assert.True(result.IsCompleted);
        Assert.Equal(string.Empty, Encoding.UTF8.GetString(result.Buffer.ToArray()));
        _toClient.Reader.AdvanceTo(result.Buffer.End);
    }

    /// <summary>The client side as a stream, for a TLS handshake after STARTTLS.</summary>
    public Stream AsStream() => new DuplexStream(_toClient.Reader.AsStream(leaveOpen: true), _toServer.Writer.AsStream(leaveOpen: true));

    public async ValueTask DisposeAsync()
    {
        // The client hangs up; the session sees the end of its input and finishes.
        await _toServer.Writer.CompleteAsync();
        await Completion.WaitAsync(ReplyTimeout);
        await _session.DisposeAsync();
    }

    // As a dropped socket does: what the client is still sending goes nowhere.
    private void Abort()
    {
        Aborted = true;
        _toServer.Reader.Complete();
    }

    private async Task RunAsync()
    {
        try
        {
            await _session.RunAsync();
        }
        finally
        {
            await _toClient.Writer.CompleteAsync();
        }
    }

    private async ValueTask StallAfterFlushAsync(CancellationToken cancellationToken)
    {
        if (!StallNextFlushUntilClientWrites)
        {
            return;
        }

        StallNextFlushUntilClientWrites = false;

        // Runs on the session's own thread while it is inside FlushAsync, so peeking at its input
        // is safe: nothing is consumed or examined, and the session's next read sees the bytes.
        var peek = await _toServer.Reader.ReadAsync(cancellationToken);
        _toServer.Reader.AdvanceTo(peek.Buffer.Start);
    }

    private sealed class StallingPipeWriter(PipeWriter inner, Func<CancellationToken, ValueTask> afterFlush, SessionWaits waits) : PipeWriter
    {
        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            var result = await waits.WatchAsync(inner.FlushAsync(cancellationToken));
            await afterFlush(cancellationToken);
            return result;
        }
    }

    // The session's input: tells the waits when a read finds nothing to return yet.
    private sealed class WatchedPipeReader(PipeReader inner, SessionWaits waits) : PipeReader
    {
        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => waits.WatchAsync(inner.ReadAsync(cancellationToken));

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }

    // Counts the session's waits on the client: a read or a flush that cannot finish at once.
    private sealed class SessionWaits
    {
        private readonly Lock _gate = new();
        private int _count;
        private bool _waiting;
        private TaskCompletionSource<int> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<T> WatchAsync<T>(ValueTask<T> operation)
        {
            if (operation.IsCompleted)
            {
                return await operation;
            }

            TaskCompletionSource<int> started;
            int number;
            lock (_gate)
            {
                number = ++_count;
                _waiting = true;
                started = _next;
                _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            started.SetResult(number);
            try
            {
                return await operation;
            }
            finally
            {
                lock (_gate)
                {
                    _waiting = false;
                }
            }
        }

        /// <summary>The number of the wait the session is in now, or of the next one it starts.</summary>
        public Task<int> CurrentAsync()
        {
            lock (_gate)
            {
                return _waiting ? Task.FromResult(_count) : _next.Task;
            }
        }

        /// <summary>Completes when a wait later than <paramref name="count"/> starts.</summary>
        public Task<int> AfterAsync(int count)
        {
            lock (_gate)
            {
                return _count > count ? Task.FromResult(_count) : _next.Task;
            }
        }
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
