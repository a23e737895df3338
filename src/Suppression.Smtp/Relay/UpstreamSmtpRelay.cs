using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;
using Suppression.Addresses;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Telemetry;
using Suppression.Telemetry;

namespace Suppression.Smtp.Relay;

/// <summary>
/// Relays to the upstream MTA over pooled MailKit connections inside one Polly pipeline: a total
/// time budget, retries of transient failures with jittered backoff, and a circuit breaker so an
/// upstream outage answers clients 451 at once instead of after every connect timeout. Polly's own
/// metrics (meter "Polly": retries, circuit opened and closed, attempt durations) name the pipeline
/// "upstream-relay"; its logging stays off, since a result's text may name the recipient.
/// </summary>
public sealed class UpstreamSmtpRelay : IMessageRelay, IAsyncDisposable
{
    public const string PipelineName = "upstream-relay";

    private readonly UpstreamConnectionPool _pool;
    private readonly ResiliencePipeline<RelayResult> _pipeline;
    private readonly ILogger<UpstreamSmtpRelay> _logger;
    private readonly IDisposable _circuitGauge;
    private readonly bool _downgrade8Bit;

    /// <param name="time">The clock the pipeline's timeout, backoff and circuit breaker run on, and the pool's idle connections age by.</param>
    public UpstreamSmtpRelay(UpstreamOptions options, string localDomain, TimeProvider time, ILogger<UpstreamSmtpRelay> logger)
        : this(options, localDomain, time, logger, createClient: null)
    {
    }

    /// <param name="createClient">Makes an unconnected SMTP client; null for MailKit's (tests script their own).</param>
    internal UpstreamSmtpRelay(UpstreamOptions options, string localDomain, TimeProvider time, ILogger<UpstreamSmtpRelay> logger, Func<ISmtpClient>? createClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pool = new UpstreamConnectionPool(options, localDomain, time, createClient);
        _downgrade8Bit = options.Downgrade8Bit;
        _logger = logger;
        var transient = new PredicateBuilder<RelayResult>()
            .Handle<IOException>()
            .Handle<SocketException>()
            .Handle<TimeoutException>()
            .Handle<SmtpProtocolException>()
            .Handle<ServiceNotConnectedException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(result => result.Outcome == RelayOutcome.TemporaryFailure);
        var builder = new ResiliencePipelineBuilder<RelayResult> { Name = PipelineName, TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions { Name = "budget", Timeout = options.RetryBudget });
        if (options.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<RelayResult>
            {
                Name = "retry",
                ShouldHandle = transient,
                MaxRetryAttempts = options.RetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                OnRetry = args =>
                {
                    // The upstream's words may name the recipient ("<bob@example.com>: Recipient address rejected").
                    _logger.UpstreamRetry(args.AttemptNumber + 1, AddressRedaction.Redact(args.Outcome.Exception?.Message ?? args.Outcome.Result?.Text));
                    RelayTelemetry.Retried(args.AttemptNumber + 1, args.Outcome.Exception, args.Outcome.Result);
                    return ValueTask.CompletedTask;
                },
            });
        }

        var circuit = new CircuitBreakerStateProvider();
        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<RelayResult>
            {
                StateProvider = circuit,
                Name = "circuit-breaker",
                ShouldHandle = transient,
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
            })
            .ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance })
            .Build();
        _circuitGauge = CircuitTelemetry.Register(PipelineName, () => circuit.CircuitState switch
        {
            CircuitState.Open or CircuitState.Isolated => BreakerState.Open,
            CircuitState.HalfOpen => BreakerState.HalfOpen,
            _ => BreakerState.Closed,
        });
    }

    public async Task<RelayResult> RelayAsync(RelayEnvelope envelope, MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, token) => state.Relay.AttemptAsync(state.Envelope, state.Message, token),
                (Relay: this, Envelope: envelope, Message: message),
                cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return RelayResult.Unreachable("upstream unavailable (circuit open)");
        }
        catch (TimeoutRejectedException)
        {
            return RelayResult.Unreachable("upstream did not answer in time");
        }
        catch (Exception exception) when (exception is IOException or SocketException or TimeoutException
            or SmtpProtocolException or ServiceNotConnectedException or MailKit.Security.SslHandshakeException
            or MailKit.Security.AuthenticationException)
        {
            _logger.UpstreamUnreachable(AddressRedaction.Redact(exception.Message));
            return RelayResult.Unreachable(exception.Message);
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var client = await _pool.RentAsync(cancellationToken);
            var healthy = false;
            try
            {
                await client.NoOpAsync(cancellationToken);
                healthy = true;
            }
            finally
            {
                _pool.Return(client, healthy);
            }

            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _circuitGauge.Dispose();
        return _pool.DisposeAsync();
    }

    private async ValueTask<RelayResult> AttemptAsync(RelayEnvelope envelope, MimeMessage message, CancellationToken cancellationToken)
    {
        ISmtpClient? client = null;
        var reusable = false;
        try
        {
            // Inside the try: an upstream can refuse at connect too, with a 421 greeting (RFC 5321
            // 3.1) or a refused EHLO or AUTH, and that is its reply like any other, retried when 4xx.
            client = await _pool.RentAsync(cancellationToken);
            if (ExtensionMissing(client, envelope, message) is { } refusal)
            {
                reusable = true;
                return refusal;
            }

            var response = await client.SendAsync(
                envelope.SmtpUtf8 ? RelayFormats.International : RelayFormats.Wire,
                NeedsDowngrade(client, message) ? ((VerbatimCopy)message).DowngradedTo7Bit() : message,
                ToMailbox(envelope.Sender),
                envelope.Recipients.Select(ToMailbox),
                cancellationToken);
            reusable = true;
            return RelayResult.Accepted(response);
        }
        catch (SmtpCommandException exception)
        {
            return RelayResult.FromUpstreamReply((int)exception.StatusCode, exception.Message, UpstreamStage.Of(exception.ErrorCode));
        }
        finally
        {
            if (client is not null)
            {
                _pool.Return(client, reusable);
            }
        }
    }

    // A copy is relayed faithfully or not at all (RFC 6531 3.4: a message that needs SMTPUTF8 is
    // not sent to a server without it; RFC 6152 3: 8-bit data only to a server that offers 8BITMIME).
    // These are the gateway's own permanent refusals: the upstream never saw the message.
    private RelayResult? ExtensionMissing(ISmtpClient client, RelayEnvelope envelope, MimeMessage message)
    {
        if (envelope.SmtpUtf8 && !client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
        {
            return RelayResult.FromUpstreamReply(550, "5.6.7 The upstream server does not support SMTPUTF8 (RFC 6531), which this message needs", RefusalStage.MailFrom);
        }

        if (EightBitUnsupported(client, message) && !_downgrade8Bit)
        {
            return RelayResult.FromUpstreamReply(554, "5.6.3 The upstream server does not support 8BITMIME (RFC 6152), which this 8-bit message needs", RefusalStage.MailFrom);
        }

        return null;
    }

    private bool NeedsDowngrade(ISmtpClient client, MimeMessage message) => _downgrade8Bit && EightBitUnsupported(client, message);

    private static bool EightBitUnsupported(ISmtpClient client, MimeMessage message) =>
        message is VerbatimCopy { EightBitMime: true } && !client.Capabilities.HasFlag(SmtpCapabilities.EightBitMime);

    private static MailboxAddress ToMailbox(string address) =>
        address.Length == 0 ? new MailboxAddress(string.Empty, string.Empty) : new MailboxAddress(string.Empty, address);
}
