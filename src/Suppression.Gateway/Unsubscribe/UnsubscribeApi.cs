using Suppression.Addresses;
using Suppression.Gateway.Apis;
using Suppression.Suppressions;
using Suppression.Telemetry;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// /u/{token}: the link in every marketing message (docs/design.md, HTTP; RFC 8058). GET shows
/// what will stop and never writes, because link scanners fetch every URL in a message; POST
/// writes the suppression and only then answers 200.
/// </summary>
public static class UnsubscribeApi
{
    public static IServiceCollection AddUnsubscribeLimits(this IServiceCollection services, int perLink, int perRecipient, int invalidPerClient) =>
        services.AddSingleton(sp => new UnsubscribeLimits(
            perLink, perRecipient, invalidPerClient, sp.GetRequiredService<TimeProvider>(), addressRules: sp.GetRequiredService<AddressVariantRules>()));

    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        // Outside the pages' group and its limits: a public image, the same for every recipient, cached by browsers.
        app.MapGet(SenderLogo.PathPrefix + "{tenant}", (string tenant, SenderCatalogue senders, HttpContext http) => ServeLogo(senders.LogoOf(tenant), http))
            .ExcludeFromDescription();
        var pages = app.MapGroup(UnsubscribeLink.Path).AddEndpointFilter(LimitAsync).ExcludeFromDescription();
        pages.MapGet("/{token}", Show);
        pages.MapPost("/{token}", UnsubscribeAsync);
        pages.MapPost("/{token}/widen", WidenAsync);
        pages.MapPost("/{token}/undo", UndoAsync);
        pages.MapPost("/{token}/preferences", PreferencesEndpoint.SaveAsync);
        return app;
    }

    private static IResult ServeLogo(SenderLogo? logo, HttpContext http)
    {
        if (logo is null)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "public, max-age=86400";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'";
        return TypedResults.Bytes(logo.Bytes, logo.ContentType);
    }

    // Before anything else: a valid link is limited by the link and its recipient, anything else by
    // the client address (UnsubscribeLimits says why).
    private static async ValueTask<object?> LimitAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var services = http.RequestServices;
        var limits = services.GetRequiredService<UnsubscribeLimits>();
        var token = http.GetRouteValue("token") as string;
        UnsubscribeToken? decoded = null;
        var validLink = token is not null
            && services.GetRequiredService<UnsubscribeTokenCodec>().TryDecode(token, services.GetRequiredService<TimeProvider>().GetUtcNow(), out decoded, out _);
        var admitted = validLink
            ? limits.TryAdmitValid(token!, decoded!, out var retryAfter)
            : limits.TryAdmitOther(http.Connection.RemoteIpAddress, out retryAfter);
        if (!admitted)
        {
            UnsubscribeTelemetry.CountLimited(validLink);
        }

        return admitted ? await next(invocation) : UnsubscribePage.TooManyRequests(retryAfter);
    }

    // Reads, never writes: the mailbox's entries in one round trip, for the sender's lists and their state.
    private static async Task<UnsubscribePage> Show(
        string token, UnsubscribeTokenCodec codec, SenderCatalogue senders, ISuppressionStore store, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!codec.TryDecode(token, time.GetUtcNow(), out var decoded, out var rejection))
        {
            return UnsubscribePage.Invalid(rejection, codec.Lifetime);
        }

        var sender = senders.For(decoded.Tenant);
        if (!sender.HasPreferences)
        {
            return UnsubscribePage.Confirm(decoded, sender);
        }

        MailboxPreferences? preferences = null;
        try
        {
            preferences = MailboxPreferences.Of(decoded, sender, (await store.GetEntriesAsync([decoded.Recipient], cancellationToken))[0]);
        }
        catch (SuppressionStoreUnavailableException exception)
        {
            // The one-click button still shows: its POST answers for itself.
            loggers.CreateLogger(typeof(UnsubscribeApi)).UnsubscribeUnavailable(exception);
        }

        return UnsubscribePage.Confirm(decoded, sender, PreferenceForm.Html(token, sender, preferences, RecipientPageText.Current));
    }

    private static Task<UnsubscribePage> UnsubscribeAsync(
        string token, HttpContext context, UnsubscribeTokenCodec codec, UnsubscribeActions actions, SenderCatalogue senders, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return PageAction.RunAsync(UnsubscribeTelemetry.Unsubscribe, UnsubscribeTelemetry.UnknownSource, token, codec, now, async (decoded, action) =>
        {
            if (!UnsubscribeActions.TryGetScope(decoded, out var scope))
            {
                action.Outcome = UnsubscribeTelemetry.TokenInvalid;
                return UnsubscribePage.Invalid(TokenRejection.Malformed, codec.Lifetime);
            }

            if (await SourceOfAsync(context.Request, cancellationToken) is not { } requested)
            {
                action.Outcome = UnsubscribeTelemetry.NotUnderstood;
                return UnsubscribePage.NotUnderstood();
            }

            action.Source = requested.Name();
            return await WriteAsync(loggers, async () =>
            {
                var added = await actions.UnsubscribeUndoablyAsync(decoded, requested, OriginOf(context), now, cancellationToken);
                action.Outcome = added is not null ? UnsubscribeTelemetry.Recorded : UnsubscribeTelemetry.AlreadyPresent;
                var undo = added is null ? null : codec.SealUndo(token, [added]);
                return (UnsubscribePage.Done(decoded, senders.For(decoded.Tenant), FollowUpActions.FromTokenPage(token, actions.UndoWindow, undo)),
                    $"unsubscribe {(added is not null ? "recorded" : "already present")}: scope {scope}, source {action.Source}");
            });
        });
    }

    // The page's "all mail from this sender" button: only a list's token has something wider to stop.
    private static Task<UnsubscribePage> WidenAsync(
        string token, HttpContext context, UnsubscribeTokenCodec codec, UnsubscribeActions actions, SenderCatalogue senders, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return PageAction.RunAsync(UnsubscribeTelemetry.Widen, SuppressionSource.Page.Name(), token, codec, now, async (decoded, action) =>
        {
            if (!UnsubscribeActions.CanWiden(decoded))
            {
                action.Outcome = UnsubscribeTelemetry.CannotWiden;
                return UnsubscribePage.CannotWiden();
            }

            // What the page before could undo stays undoable from this one, with the widening added.
            var earlier = await UndoBindingOfAsync(context.Request, token, codec, cancellationToken);
            return await WriteAsync(loggers, async () =>
            {
                var added = await actions.WidenAsync(decoded, OriginOf(context), now, cancellationToken);
                action.Outcome = added is not null ? UnsubscribeTelemetry.Recorded : UnsubscribeTelemetry.AlreadyPresent;
                IReadOnlyList<UndoableChange> undoable = added is null ? earlier : [.. earlier, added];
                var undo = undoable.Count == 0 ? null : codec.SealUndo(token, undoable);
                return (UnsubscribePage.Done(decoded, senders.For(decoded.Tenant), FollowUpActions.FromActionPage(actions.UndoWindow, undo), widened: true),
                    $"unsubscribe widened to the tenant {(added is not null ? "recorded" : "already present")}");
            });
        });
    }

    private static Task<UnsubscribePage> UndoAsync(
        string token, HttpContext context, UnsubscribeTokenCodec codec, UnsubscribeActions actions, SenderCatalogue senders, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return PageAction.RunAsync(UnsubscribeTelemetry.Undo, SuppressionSource.Page.Name(), token, codec, now, async (decoded, action) =>
        {
            // Only what the page's own requests added, as its form says (sealed, so it names no other record).
            var changes = await UndoBindingOfAsync(context.Request, token, codec, cancellationToken);
            return await WriteAsync(loggers, async () =>
            {
                var undo = await actions.UndoAsync(decoded, changes, OriginOf(context), now, cancellationToken);
                action.Outcome = UnsubscribeTelemetry.OutcomeOf(undo);
                var page = undo switch
                {
                    UndoOutcome.Undone => UnsubscribePage.Undone(decoded, senders.For(decoded.Tenant)),
                    UndoOutcome.WindowPassed => UnsubscribePage.UndoWindowPassed(actions.UndoWindow),
                    UndoOutcome.Superseded => UnsubscribePage.UndoSuperseded(),
                    _ => UnsubscribePage.NothingToUndo(),
                };
                return (page, "unsubscribe undo: " + undo);
            });
        });
    }

    // Claim nothing when the store or the audit log cannot be written: the recipient is told to try
    // again, and the link still works then. Addresses stay out of the log.
    internal static async Task<UnsubscribePage> WriteAsync(
        ILoggerFactory loggers, Func<Task<(UnsubscribePage Page, string Outcome)>> write, UnsubscribePage? unavailable = null)
    {
        var logger = loggers.CreateLogger(typeof(UnsubscribeApi));
        try
        {
            var (page, outcome) = await write();
            logger.UnsubscribeHandled(outcome);
            return page;
        }
        catch (SuppressionStoreUnavailableException exception)
        {
            logger.UnsubscribeUnavailable(exception);
            return unavailable ?? UnsubscribePage.Unavailable();
        }
    }

    internal static RequestOrigin OriginOf(HttpContext context)
    {
        var userAgent = context.Request.Headers.UserAgent.ToString();

        // Kept to a sane length: the audit record is evidence, not a place to store whatever a client sends.
        return new RequestOrigin(
            context.Connection.RemoteIpAddress?.ToString(),
            userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, 512)]);
    }

    // The page's forms carry it as "undo"; a missing, altered or another link's binding undoes nothing.
    private static async Task<IReadOnlyList<UndoableChange>> UndoBindingOfAsync(HttpRequest request, string token, UnsubscribeTokenCodec codec, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return [];
        }

        try
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return codec.TryOpenUndo(token, form[FollowUpActions.UndoField], out var changes) ? changes : [];
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            return [];
        }
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

    /// <summary>
    /// What the page actions share: their span, the token's decoding (an invalid or expired token
    /// is answered here), and the source and outcome the span and the metric end with, which the
    /// action sets as it learns them. An exception leaves the outcome "unavailable".
    /// </summary>
    internal sealed class PageAction(string source)
    {
        public string Source { get; set; } = source;

        public string Outcome { get; set; } = UnsubscribeTelemetry.Unavailable;

        public static async Task<UnsubscribePage> RunAsync(
            string operation, string source, string token, UnsubscribeTokenCodec codec, DateTimeOffset now, Func<UnsubscribeToken, PageAction, Task<UnsubscribePage>> act)
        {
            var action = new PageAction(source);
            var span = UnsubscribeTelemetry.Start(operation, source);
            try
            {
                if (!codec.TryDecode(token, now, out var decoded, out var rejection))
                {
                    action.Outcome = UnsubscribeTelemetry.OutcomeOf(rejection);
                    return UnsubscribePage.Invalid(rejection, codec.Lifetime);
                }

                UnsubscribeTelemetry.DescribeToken(span, decoded);
                return await act(decoded, action);
            }
            finally
            {
                UnsubscribeTelemetry.Complete(span, operation, action.Source, action.Outcome);
            }
        }
    }
}
