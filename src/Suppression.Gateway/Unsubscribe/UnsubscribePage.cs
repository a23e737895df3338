using System.Globalization;
using System.Net;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// The pages a recipient sees at /u/{token}: one small self-contained HTML document (inline CSS,
/// nothing fetched from anywhere) that works on a phone and with a screen reader. Every value
/// interpolated is HTML-encoded, and the full address is never shown.
/// </summary>
public sealed class UnsubscribePage : IResult
{
    // The page loads nothing and posts only to itself.
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

    private const string Style =
        "body{margin:0;padding:1rem;font:1.0625rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1a1a1a;background:#f4f4f5}"
        + "main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}"
        + "h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}"
        + "button{font:inherit;font-weight:600;min-height:2.75rem;padding:.625rem 1.5rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff;cursor:pointer}"
        + "button:focus-visible{outline:3px solid #1e3a8a;outline-offset:2px}"
        + "button.secondary{background:transparent;color:inherit;border:2px solid currentColor}"
        + "form{margin-top:1.5rem}"
        + "@media (prefers-color-scheme:dark){body{background:#18181b;color:#f4f4f5}main{background:#27272a}button:focus-visible{outline-color:#93c5fd}}";

    private readonly int _statusCode;
    private readonly string _title;
    private readonly string _bodyHtml;
    private readonly TimeSpan? _retryAfter;

    private UnsubscribePage(int statusCode, string title, string bodyHtml, TimeSpan? retryAfter = null)
    {
        _statusCode = statusCode;
        _title = title;
        _bodyHtml = bodyHtml;
        _retryAfter = retryAfter;
    }

    public int StatusCode => _statusCode;

    /// <summary>What GET shows: what will stop, for which (masked) address, and the button that stops it.</summary>
    public static UnsubscribePage Confirm(UnsubscribeToken token) => new(
        StatusCodes.Status200OK,
        "Unsubscribe",
        $"<p>Stop sending <strong>{Encode(WhatStops(token))}</strong> to <strong>{Encode(Mask(token))}</strong>?</p>"
        + "<form method=\"post\"><input type=\"hidden\" name=\"source\" value=\"page\">"
        + "<button type=\"submit\">Unsubscribe</button></form>");

    /// <summary>After POST: what stopped, and the forms to widen to the whole sender and to undo.</summary>
    /// <param name="actions">Where the follow-up forms post, relative to the page's own URL.</param>
    public static UnsubscribePage Done(UnsubscribeToken token, FollowUpActions actions, bool widened = false)
    {
        var whatStopped = widened ? "any mail from " + token.Tenant : WhatStops(token);
        var html = $"<p><strong>{Encode(Mask(token))}</strong> will no longer receive <strong>{Encode(whatStopped)}</strong>. "
            + "This takes effect for the very next message; there is nothing else you need to do.</p>";
        var undoField = actions.UndoBinding is { } binding
            ? $"<input type=\"hidden\" name=\"{FollowUpActions.UndoField}\" value=\"{Encode(binding)}\">"
            : string.Empty;
        if (!widened && UnsubscribeActions.CanWiden(token))
        {
            html += $"<form method=\"post\" action=\"{actions.Widen}\">{undoField}<p>Or stop <strong>all mail from {Encode(token.Tenant!)}</strong>, not just this list.</p>"
                + "<button type=\"submit\">Stop all mail from this sender</button></form>";
        }

        // Undo reverts only what this page's requests added: nothing, when the recipient had already unsubscribed.
        if (actions.UndoWindow > TimeSpan.Zero && actions.UndoBinding is not null)
        {
            html += $"<form method=\"post\" action=\"{actions.Undo}\">{undoField}<p>Unsubscribed by mistake? You can undo this for the next {Encode(Minutes(actions.UndoWindow))}.</p>"
                + "<button type=\"submit\" class=\"secondary\">Undo</button></form>";
        }

        return new(StatusCodes.Status200OK, "You are unsubscribed", html);
    }

    public static UnsubscribePage Undone(UnsubscribeToken token) => new(
        StatusCodes.Status200OK,
        "You are subscribed again",
        $"<p><strong>{Encode(Mask(token))}</strong> will receive <strong>{Encode(WhatStops(token))}</strong> again. "
        + "You can unsubscribe at any time with the link in the next message.</p>");

    public static UnsubscribePage NothingToUndo() => new(
        StatusCodes.Status200OK,
        "Nothing to undo",
        "<p>There is no unsubscribe from this link to undo: it may have been undone already. Nothing was changed.</p>");

    public static UnsubscribePage UndoSuperseded() => new(
        StatusCodes.Status409Conflict,
        "This unsubscribe can no longer be undone here",
        "<p>You were unsubscribed again since, with another link or in another way, so undoing it here would undo that too. "
        + "Nothing was changed. If you want this mail again, ask the sender to sign you up again.</p>");

    public static UnsubscribePage UndoWindowPassed(TimeSpan window) => new(
        StatusCodes.Status409Conflict,
        "This unsubscribe can no longer be undone here",
        $"<p>Undo is possible for {Encode(Minutes(window))} after unsubscribing, and that time has passed. "
        + "If you want this mail again, ask the sender to sign you up again.</p><p>Nothing was changed.</p>");

    public static UnsubscribePage CannotWiden() => new(
        StatusCodes.Status400BadRequest,
        "Nothing wider to stop",
        "<p>This link already covers all mail from this sender. Nothing was changed.</p>");

    public static UnsubscribePage Invalid(TokenRejection rejection, TimeSpan lifetime) => rejection == TokenRejection.Expired
        ? new(
            StatusCodes.Status400BadRequest,
            "This unsubscribe link has expired",
            $"<p>Unsubscribe links stay valid for {Encode(lifetime.TotalDays.ToString("0", CultureInfo.InvariantCulture))} days after the message was sent. "
            + "Use the unsubscribe link in a more recent message from this sender, or reply to the sender and ask to be removed.</p>"
            + "<p>Nothing was changed.</p>")
        : new(
            StatusCodes.Status400BadRequest,
            "This unsubscribe link is not valid",
            "<p>The link may have been cut off or changed when it was copied. Open it again directly from the message, "
            + "or use the unsubscribe link in a more recent message from this sender.</p><p>Nothing was changed.</p>");

    public static UnsubscribePage NotUnderstood() => new(
        StatusCodes.Status400BadRequest,
        "Unsubscribe request not understood",
        "<p>This request did not come from the unsubscribe button. Open the link from the message and press "
        + "<strong>Unsubscribe</strong>.</p><p>Nothing was changed.</p>");

    public static UnsubscribePage Unavailable() => new(
        StatusCodes.Status503ServiceUnavailable,
        "Please try again in a moment",
        "<p>We could not record your request just now, so <strong>you are not unsubscribed yet</strong>. "
        + "Please reload this page or press the button again in a few seconds.</p>",
        TimeSpan.FromSeconds(5));

    public static UnsubscribePage TooManyRequests(TimeSpan retryAfter) => new(
        StatusCodes.Status429TooManyRequests,
        "Too many requests",
        "<p>This address has made too many requests in a short time. Please wait a minute and try again.</p>",
        retryAfter);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = _statusCode;
        var headers = response.Headers;
        headers.ContentType = "text/html; charset=utf-8";
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (_retryAfter is { } retryAfter)
        {
            headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var title = Encode(_title);
        await response.WriteAsync(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n"
            + $"<title>{title}</title>\n<style>{Style}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n{_bodyHtml}\n</main>\n</body>\n</html>\n",
            httpContext.RequestAborted);
    }

    /// <summary>The address as the page shows it: first character of the local part, then the domain (j•••@example.com).</summary>
    public static string Mask(UnsubscribeToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var local = token.Recipient.LocalPart;
        var first = local.Length > 1 ? StringInfo.GetNextTextElement(local) : string.Empty;
        return first + "\u2022\u2022\u2022@" + token.Recipient.Domain;
    }

    private static string WhatStops(UnsubscribeToken token) => (token.Tenant, token.Topic) switch
    {
        (null, _) => "marketing mail sent through this gateway",
        ({ } tenant, null) => "mail from " + tenant,
        ({ } tenant, { } topic) => $"the {topic} list of {tenant}",
    };

    private static string Minutes(TimeSpan window) => window.TotalMinutes >= 2
        ? ((int)window.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " minutes"
        : ((int)window.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " seconds";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
