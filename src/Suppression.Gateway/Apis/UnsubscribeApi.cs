using System.Threading.RateLimiting;
using StackExchange.Redis;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Apis;

/// <summary>
/// /u/{token}: the link in every marketing message (DESIGN.md, HTTP contract; RFC 8058). GET shows
/// what will stop and never writes, because link scanners fetch every URL in a message; POST
/// writes the suppression and only then answers 200.
/// </summary>
public static class UnsubscribeApi
{
    public const string RateLimitPolicy = "unsubscribe";

    public static IServiceCollection AddUnsubscribeRateLimiting(this IServiceCollection services, int requestsPerMinute) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = requestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                return new ValueTask(UnsubscribePage.TooManyRequests(retryAfter).ExecuteAsync(rejected.HttpContext));
            };
        });

    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/u").RequireRateLimiting(RateLimitPolicy).ExcludeFromDescription();
        pages.MapGet("/{token}", Show);
        pages.MapPost("/{token}", UnsubscribeAsync);
        return app;
    }

    private static UnsubscribePage Show(string token, UnsubscribeTokenCodec codec, TimeProvider time) =>
        codec.TryDecode(token, time.GetUtcNow(), out var decoded, out var rejection)
            ? UnsubscribePage.Confirm(decoded)
            : UnsubscribePage.Invalid(rejection, codec.Lifetime);

    private static async Task<UnsubscribePage> UnsubscribeAsync(
        string token, HttpRequest request, UnsubscribeTokenCodec codec, ISuppressionStore store, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!codec.TryDecode(token, now, out var decoded, out var rejection))
        {
            return UnsubscribePage.Invalid(rejection, codec.Lifetime);
        }

        if (!TryScopeOf(decoded, out var scope))
        {
            return UnsubscribePage.Invalid(TokenRejection.Malformed, codec.Lifetime);
        }

        if (await SourceOfAsync(request, cancellationToken) is not { } source)
        {
            return UnsubscribePage.NotUnderstood();
        }

        var entry = new SuppressionEntry(scope, SuppressionReason.Unsubscribe, source, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()));
        var logger = loggers.CreateLogger("Suppression.Unsubscribe");
        bool added;
        try
        {
            added = await store.AddAsync(decoded.Recipient, entry, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Claim nothing: the recipient is told to try again, and the link still works then.
            logger.LogWarning("Suppression list unavailable, unsubscribe not recorded (503): {Error}", exception.Message);
            return UnsubscribePage.Unavailable();
        }

        logger.LogInformation("Unsubscribe {Outcome}: scope {Scope}, source {Source}", added ? "recorded" : "already present", scope, source.Name());
        return UnsubscribePage.Done(decoded);
    }

    // A token with a tenant and a topic stops that list; with a tenant, that sender; with neither,
    // the marketing mail the gateway relays for nobody in particular.
    private static bool TryScopeOf(UnsubscribeToken token, out SuppressionScope scope) => SuppressionScope.TryParse(
        (token.Tenant, token.Topic) switch
        {
            (null, _) => "global",
            ({ } tenant, null) => "tenant:" + tenant,
            ({ } tenant, { } topic) => $"topic:{tenant}/{topic}",
        },
        out scope);

    // RFC 8058 section 3.1: the one-click POST carries List-Unsubscribe=One-Click; the page's own
    // form says source=page. Anything else (an empty POST from a link scanner, say) changes nothing.
    private static async Task<SuppressionSource?> SourceOfAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form["source"] == "page")
            {
                return SuppressionSource.Page;
            }

            return string.Equals(form["List-Unsubscribe"], "One-Click", StringComparison.Ordinal) ? SuppressionSource.OneClick : null;
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }
}
