using System.Threading.RateLimiting;
using StackExchange.Redis;
using Suppression.Suppressions;
using Suppression.Telemetry;
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
        pages.MapPost("/{token}/widen", WidenAsync);
        pages.MapPost("/{token}/undo", UndoAsync);
        return app;
    }

    private static UnsubscribePage Show(string token, UnsubscribeTokenCodec codec, TimeProvider time) =>
        codec.TryDecode(token, time.GetUtcNow(), out var decoded, out var rejection)
            ? UnsubscribePage.Confirm(decoded)
            : UnsubscribePage.Invalid(rejection, codec.Lifetime);

    private static async Task<UnsubscribePage> UnsubscribeAsync(
        string token, HttpContext context, UnsubscribeTokenCodec codec, UnsubscribeActions actions, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var span = UnsubscribeTelemetry.Start(UnsubscribeTelemetry.Unsubscribe, UnsubscribeTelemetry.UnknownSource);
        var source = UnsubscribeTelemetry.UnknownSource;
        var outcome = UnsubscribeTelemetry.Unavailable;
        try
        {
            if (!codec.TryDecode(token, now, out var decoded, out var rejection))
            {
                outcome = UnsubscribeTelemetry.OutcomeOf(rejection);
                return UnsubscribePage.Invalid(rejection, codec.Lifetime);
            }

            UnsubscribeTelemetry.DescribeToken(span, decoded);
            if (!UnsubscribeActions.TryGetScope(decoded, out var scope))
            {
                outcome = UnsubscribeTelemetry.TokenInvalid;
                return UnsubscribePage.Invalid(TokenRejection.Malformed, codec.Lifetime);
            }

            if (await SourceOfAsync(context.Request, cancellationToken) is not { } requested)
            {
                outcome = UnsubscribeTelemetry.NotUnderstood;
                return UnsubscribePage.NotUnderstood();
            }

            source = requested.Name();
            return await WriteAsync(loggers, async () =>
            {
                var added = await actions.UnsubscribeAsync(decoded, requested, OriginOf(context), now, cancellationToken);
                outcome = added ? UnsubscribeTelemetry.Recorded : UnsubscribeTelemetry.AlreadyPresent;
                return (UnsubscribePage.Done(decoded, FollowUpActions.FromTokenPage(token, actions.UndoWindow)), $"unsubscribe {(added ? "recorded" : "already present")}: scope {scope}, source {source}");
            });
        }
        finally
        {
            UnsubscribeTelemetry.Complete(span, UnsubscribeTelemetry.Unsubscribe, source, outcome);
        }
    }

    // The page's "all mail from this sender" button: only a list's token has something wider to stop.
    private static async Task<UnsubscribePage> WidenAsync(
        string token, HttpContext context, UnsubscribeTokenCodec codec, UnsubscribeActions actions, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var source = SuppressionSource.Page.Name();
        var span = UnsubscribeTelemetry.Start(UnsubscribeTelemetry.Widen, source);
        var outcome = UnsubscribeTelemetry.Unavailable;
        try
        {
            if (!codec.TryDecode(token, now, out var decoded, out var rejection))
            {
                outcome = UnsubscribeTelemetry.OutcomeOf(rejection);
                return UnsubscribePage.Invalid(rejection, codec.Lifetime);
            }

            UnsubscribeTelemetry.DescribeToken(span, decoded);
            if (!UnsubscribeActions.CanWiden(decoded))
            {
                outcome = UnsubscribeTelemetry.CannotWiden;
                return UnsubscribePage.CannotWiden();
            }

            return await WriteAsync(loggers, async () =>
            {
                var added = await actions.WidenAsync(decoded, OriginOf(context), now, cancellationToken);
                outcome = added ? UnsubscribeTelemetry.Recorded : UnsubscribeTelemetry.AlreadyPresent;
                return (UnsubscribePage.Done(decoded, FollowUpActions.FromActionPage(actions.UndoWindow), widened: true), $"unsubscribe widened to the tenant {(added ? "recorded" : "already present")}");
            });
        }
        finally
        {
            UnsubscribeTelemetry.Complete(span, UnsubscribeTelemetry.Widen, source, outcome);
        }
    }

    private static async Task<UnsubscribePage> UndoAsync(
        string token, HttpContext context, UnsubscribeTokenCodec codec, UnsubscribeActions actions, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var source = SuppressionSource.Page.Name();
        var span = UnsubscribeTelemetry.Start(UnsubscribeTelemetry.Undo, source);
        var outcome = UnsubscribeTelemetry.Unavailable;
        try
        {
            if (!codec.TryDecode(token, now, out var decoded, out var rejection))
            {
                outcome = UnsubscribeTelemetry.OutcomeOf(rejection);
                return UnsubscribePage.Invalid(rejection, codec.Lifetime);
            }

            UnsubscribeTelemetry.DescribeToken(span, decoded);
            return await WriteAsync(loggers, async () =>
            {
                var undo = await actions.UndoAsync(decoded, OriginOf(context), now, cancellationToken);
                outcome = UnsubscribeTelemetry.OutcomeOf(undo);
                var page = undo switch
                {
                    UndoOutcome.Undone => UnsubscribePage.Undone(decoded),
                    UndoOutcome.WindowPassed => UnsubscribePage.UndoWindowPassed(actions.UndoWindow),
                    _ => UnsubscribePage.NothingToUndo(),
                };
                return (page, "unsubscribe undo: " + undo);
            });
        }
        finally
        {
            UnsubscribeTelemetry.Complete(span, UnsubscribeTelemetry.Undo, source, outcome);
        }
    }

    // Claim nothing when the store or the audit log cannot be written: the recipient is told to try
    // again, and the link still works then. Addresses stay out of the log.
    private static async Task<UnsubscribePage> WriteAsync(ILoggerFactory loggers, Func<Task<(UnsubscribePage Page, string Outcome)>> write)
    {
        var logger = loggers.CreateLogger("Suppression.Unsubscribe");
        try
        {
            var (page, outcome) = await write();
            logger.LogInformation("{Outcome}", outcome);
            return page;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Suppression list unavailable, unsubscribe request not recorded (503): {Error}", exception.Message);
            return UnsubscribePage.Unavailable();
        }
    }

    private static RequestOrigin OriginOf(HttpContext context)
    {
        var userAgent = context.Request.Headers.UserAgent.ToString();

        // Kept to a sane length: the audit record is evidence, not a place to store whatever a client sends.
        return new RequestOrigin(
            context.Connection.RemoteIpAddress?.ToString(),
            userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, 512)]);
    }

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
