namespace Suppression.Smtp.Server;

/// <summary>
/// The timeout a connection's reads and writes wait under: started for each wait on the server's
/// clock, so a test's FakeTimeProvider drives it, and reused from command to command rather than
/// made anew. Its token is cancelled too when the connection closes.
/// </summary>
/// <remarks>
/// A CancellationTokenSource made with a TimeProvider cannot be reset (TryReset works only with the
/// system's timers), hence a timer of our own and a source replaced only once it has fired.
/// </remarks>
internal sealed class ConnectionTimeout : IDisposable
{
    private readonly CancellationToken _connectionClosed;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private CancellationTokenSource _source;
    private bool _running;

    public ConnectionTimeout(TimeProvider time, CancellationToken connectionClosed)
    {
        _connectionClosed = connectionClosed;
        _source = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
        _timer = time.CreateTimer(static state => ((ConnectionTimeout)state!).Expire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The token to wait with: cancelled once <paramref name="timeout"/> has passed before <see cref="Stop"/>, or when the connection closes.</summary>
    public CancellationToken Start(TimeSpan timeout)
    {
        lock (_gate)
        {
            _running = true;
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
            return _source.Token;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _running = false;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (_source.IsCancellationRequested)
            {
                _source.Dispose();
                _source = CancellationTokenSource.CreateLinkedTokenSource(_connectionClosed);
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _source.Dispose();
    }

    private void Expire()
    {
        lock (_gate)
        {
            // A callback already on its way when Stop ran finds the clock stopped.
            if (_running)
            {
                _running = false;
                _source.Cancel();
            }
        }
    }
}
