using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// Sends one signed delivery and says what the answer means. Redirects are not followed (a receiver
/// that moved is reconfigured, not guessed), a receiver has 15 seconds, and unless private networks
/// are allowed the connection is refused to any resolved address of the gateway's own networks.
/// </summary>
public sealed class WebhookSender : IWebhookSender, IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Suppression-Gateway",
        typeof(WebhookSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0");

    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public WebhookSender(bool allowPrivateNetworks, TimeProvider time, TimeSpan? timeout = null)
    {
        _time = time;
        _timeout = timeout ?? DefaultTimeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetworks, cancellationToken),
        };

        // The timeout is the provider's (below), so a test's clock decides it as the rest of the gateway's.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, QueuedWebhook webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(webhook);
        var now = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(webhook.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.TryAddWithoutValidation(WebhookSigner.IdHeader, webhook.EventId);
        request.Headers.TryAddWithoutValidation(WebhookSigner.TimestampHeader, WebhookSigner.Timestamp(now));
        request.Headers.TryAddWithoutValidation(WebhookSigner.SignatureHeader, endpoint.Signer.Sign(webhook.EventId, now, webhook.Body));

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return Interpret(response, now);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(WebhookAttemptResult.Failed, Failure: $"no answer within {_timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            return new WebhookAttempt(WebhookAttemptResult.Failed, Failure: Describe(exception));
        }
    }

    private static WebhookAttempt Interpret(HttpResponseMessage response, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            >= 200 and < 300 => WebhookAttempt.Delivered,
            410 => new WebhookAttempt(WebhookAttemptResult.Gone, Failure: "410 Gone"),
            429 or 503 => new WebhookAttempt(WebhookAttemptResult.Failed, RetryAfter(response.Headers.RetryAfter, now), $"HTTP {status}"),
            >= 300 and < 400 => new WebhookAttempt(WebhookAttemptResult.Failed, Failure: $"HTTP {status} (redirects are not followed; configure the new URL)"),
            _ => new WebhookAttempt(WebhookAttemptResult.Failed, Failure: $"HTTP {status}"),
        };
    }

    // RFC 9110 10.2.3: seconds or an HTTP date; capped, and never in the past.
    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var delay = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return delay is null ? null
            : delay < TimeSpan.Zero ? TimeSpan.Zero
            : delay > WebhookRetrySchedule.MaximumRetryAfter ? WebhookRetrySchedule.MaximumRetryAfter
            : delay;
    }

    private static string Describe(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.Unknown
            ? exception.Message
            : $"{exception.HttpRequestError}: {exception.InnerException?.Message ?? exception.Message}";

    // Resolves the name here rather than in the socket, so every address is checked before it is
    // used: a name that answers with a private address now (DNS rebinding) is refused like a literal one.
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = allowPrivateNetworks ? addresses : addresses.Where(address => !PrivateNetworks.Contains(address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(
                HttpRequestError.ConnectionError,
                $"{endpoint.Host} resolves only to loopback or private addresses (allowed only with Suppression:Webhooks:AllowPrivateNetworks)");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();
}
