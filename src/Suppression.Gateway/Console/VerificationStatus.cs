using Suppression.Audit;

namespace Suppression.Gateway.Console;

/// <summary>
/// The last chain verification this gateway ran for the console, so the dashboard shows it without
/// recomputing every chain on each visit. One run at a time: a second request waits for the first
/// and then runs its own, so its answer is never older than its click.
/// </summary>
public sealed class VerificationStatus(IAuditTrail trail, TimeProvider time, ILogger<VerificationStatus> logger) : IDisposable
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private CheckedVerification? _last;

    /// <summary>The last result, or null when nobody has verified since the gateway started.</summary>
    public CheckedVerification? Last => Volatile.Read(ref _last);

    public async Task<CheckedVerification> RunAsync(string checkedBy, CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            var started = time.GetTimestamp();
            var result = await trail.VerifyAsync(progress: null, cancellationToken);
            var run = new CheckedVerification(result, time.GetUtcNow(), time.GetElapsedTime(started), checkedBy);
            Volatile.Write(ref _last, run);
            if (result.Ok)
            {
                logger.AuditChainsIntact(checkedBy, result.Records, result.Chains);
            }
            else
            {
                logger.AuditChainsBroken(checkedBy, result.FirstBadChain, result.FirstBadSequence, result.Problem);
            }

            return run;
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();
}
