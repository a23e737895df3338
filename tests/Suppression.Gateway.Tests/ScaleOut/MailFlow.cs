using MailKit;
using MailKit.Net.Smtp;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.ScaleOut;

/// <summary>
/// A marketing system sending one message after another through a gateway, each to a suppressed
/// address and a fresh subscriber, and what it was told: 250, or the reply that refused it.
/// </summary>
internal sealed class MailFlow(int smtpPort, string suppressed)
{
    private readonly List<MailAttempt> _attempts = [];

    public IReadOnlyList<MailAttempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var subscriber = Mail.UniqueAddress("subscriber");
            var message = Mail.Create("news@sender.test", [suppressed, subscriber]);
            var started = DateTime.UtcNow;
            string? refusal = null;
            try
            {
                await Mail.SendAsync(smtpPort, message);
            }
            catch (SmtpCommandException exception)
            {
                refusal = $"{(int)exception.StatusCode} {exception.Message}";
            }
            catch (Exception exception) when (exception is SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException)
            {
                refusal = $"{exception.GetType().Name}: {exception.Message}";
            }

            lock (_attempts)
            {
                _attempts.Add(new MailAttempt(started, DateTime.UtcNow, message.MessageId!, subscriber, refusal));
            }

            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages sent after <paramref name="since"/> were accepted with 250.</summary>
    public Task<bool> AcceptedSinceAsync(DateTime since, int count, TimeSpan within) =>
        Eventually.TrueAsync(() => Task.FromResult(Attempts.Count(attempt => attempt.Started >= since && attempt.Refusal is null) >= count), within);
}
