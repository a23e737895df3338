using System.Diagnostics.CodeAnalysis;

namespace Suppression.Smtp.Server;

/// <summary>
/// Turns at handling mail to the gateway's own mailboxes, <see cref="SmtpServerOptions.MaxConcurrentLocalMail"/>
/// at a time across all sessions: reading a stranger's report costs CPU and a store write, so a flood
/// of them waits its turn instead of taking the host.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim whose AvailableWaitHandle is never read holds nothing to free; the turns live as long as the server.")]
public sealed class LocalMailTurns(int concurrent)
{
    private readonly SemaphoreSlim _turns = new(concurrent);
    private int _waiting;

    /// <summary>How many messages are waiting for a turn now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Runs <paramref name="handle"/> once a turn is free, and frees the turn when it is done.</summary>
    public async Task<T> TakeTurnAsync<T>(Func<Task<T>> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Interlocked.Increment(ref _waiting);
        try
        {
            await _turns.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        try
        {
            return await handle();
        }
        finally
        {
            _turns.Release();
        }
    }
}
