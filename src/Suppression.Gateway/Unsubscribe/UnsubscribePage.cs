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
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'";

    private const string Style =
        "body{margin:0;padding:1rem;font:1.0625rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1a1a1a;background:#f4f4f5}"
        + "main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}"
        + "h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}"
        + "button{font:inherit;font-weight:600;min-height:2.75rem;padding:.625rem 1.5rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff;cursor:pointer}"
        + "button:focus-visible{outline:3px solid #1e3a8a;outline-offset:2px}"
        + "button.secondary{background:transparent;color:inherit;border:2px solid currentColor}"
        + "form{margin-top:1.5rem}"
        + "h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .5rem}"
        + "fieldset{border:1px solid #71717a;border-radius:.375rem;margin:0 0 1rem;padding:.5rem 1rem}legend{font-weight:600;padding:0 .25rem}"
        + ".choice{display:grid;grid-template-columns:auto 1fr;gap:0 .625rem;align-items:start;margin:.625rem 0}"
        + ".choice input{width:1.25rem;height:1.25rem;margin:.15rem 0}.about{grid-column:2;margin:0;color:#52525b}"
        + "input:focus-visible,a:focus-visible{outline:3px solid #1e3a8a;outline-offset:2px}a{color:#1d4ed8}"
        + ".locked{border-left:4px solid #b45309;padding-left:.75rem}"
        + "nav.languages{max-width:32rem;margin:0 auto;display:flex;flex-wrap:wrap;gap:.25rem 1rem;justify-content:center}nav.languages a{padding:.25rem 0}"
        + "a[aria-current]{font-weight:600;text-decoration:none}"
        + "img.logo{display:block;max-height:3rem;max-width:12rem;margin:0 0 1rem}"
        + "@media (prefers-color-scheme:dark){body{background:#18181b;color:#f4f4f5}main{background:#27272a}.about{color:#d4d4d8}a{color:#93c5fd}button:focus-visible,input:focus-visible,a:focus-visible{outline-color:#93c5fd}}";

    private readonly int _statusCode;
    private readonly string _title;
    private readonly string _bodyHtml;
    private readonly TimeSpan? _retryAfter;
    private readonly RecipientPageText _text;
    private readonly bool _languageSwitch;
    private readonly Sender? _brand;

    private UnsubscribePage(int statusCode, string title, string bodyHtml, TimeSpan? retryAfter = null, bool languageSwitch = false, Sender? brand = null)
    {
        _brand = brand;
        _text = RecipientPageText.Current;
        _languageSwitch = languageSwitch;
        _statusCode = statusCode;
        _title = title;
        _bodyHtml = bodyHtml;
        _retryAfter = retryAfter;
    }

    public int StatusCode => _statusCode;

    /// <summary>
    /// What GET shows: what will stop, for which (masked) address, and the button that stops it; then
    /// <paramref name="choicesHtml"/>, the sender's lists to choose from (<see cref="PreferenceForm"/>), if any.
    /// </summary>
    public static UnsubscribePage Confirm(UnsubscribeToken token, Sender sender, string choicesHtml = "")
    {
        var text = RecipientPageText.Current;
        return new(
            StatusCodes.Status200OK,
            text.PageTitle,
            Paragraph(text, text.StopQuestion, Strong(WhatStops(token, sender, text)), Strong(Mask(token)))
            + "<form method=\"post\"><input type=\"hidden\" name=\"source\" value=\"page\">"
            + $"<button type=\"submit\">{Encode(text.UnsubscribeButton)}</button></form>"
            + choicesHtml,
            languageSwitch: true,
            brand: sender);
    }

    /// <summary>A page of the preference form's outcomes: <paramref name="bodyHtml"/> is already encoded.</summary>
    public static UnsubscribePage Of(int statusCode, string title, string bodyHtml, TimeSpan? retryAfter = null, Sender? brand = null) =>
        new(statusCode, title, bodyHtml, retryAfter, brand: brand);

    /// <summary>After POST: what stopped, and the forms to widen to the whole sender and to undo.</summary>
    /// <param name="actions">Where the follow-up forms post, relative to the page's own URL.</param>
    public static UnsubscribePage Done(UnsubscribeToken token, Sender sender, FollowUpActions actions, bool widened = false)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var text = RecipientPageText.Current;
        var allMail = text.Format(text.AllMailFromSender, sender.NameIn(text));
        var whatStopped = widened ? allMail : WhatStops(token, sender, text);
        var html = "<p>" + text.Format(Encode(text.DoneText), Strong(Mask(token)), Strong(whatStopped)) + "</p>";
        var undoField = actions.UndoBinding is { } binding
            ? $"<input type=\"hidden\" name=\"{FollowUpActions.UndoField}\" value=\"{Encode(binding)}\">"
            : string.Empty;
        if (!widened && UnsubscribeActions.CanWiden(token))
        {
            html += $"<form method=\"post\" action=\"{actions.Widen}?{RecipientLanguage.QueryParameter}={text.Language}\">{undoField}" + Paragraph(text, text.WidenOffer, Strong(allMail))
                + $"<button type=\"submit\">{Encode(text.WidenButton)}</button></form>";
        }

        if (actions.UndoWindow > TimeSpan.Zero && actions.UndoBinding is not null)
        {
            html += $"<form method=\"post\" action=\"{actions.Undo}?{RecipientLanguage.QueryParameter}={text.Language}\">{undoField}" + Paragraph(text, text.UndoOffer, Encode(Duration(actions.UndoWindow, text)))
                + $"<button type=\"submit\" class=\"secondary\">{Encode(text.UndoButton)}</button></form>";
        }

        return new(StatusCodes.Status200OK, text.DoneTitle, html, brand: sender);
    }

    /// <summary>After a successful undo: the opt-out is gone.</summary>
    public static UnsubscribePage Undone(UnsubscribeToken token, Sender sender)
    {
        var text = RecipientPageText.Current;
        return new(StatusCodes.Status200OK, text.UndoneTitle, Paragraph(text, text.UndoneText, Strong(Mask(token)), Strong(WhatStops(token, sender, text))), brand: sender);
    }

    /// <summary>An undo with nothing to undo (already undone, or never made from this link): 200, idempotent.</summary>
    public static UnsubscribePage NothingToUndo()
    {
        var text = RecipientPageText.Current;
        return new(StatusCodes.Status200OK, text.NothingToUndoTitle, Paragraph(text, text.NothingToUndo));
    }

    /// <summary>The recipient unsubscribed again, another way, since: undoing here would undo that too.</summary>
    public static UnsubscribePage UndoSuperseded()
    {
        var text = RecipientPageText.Current;
        return new(StatusCodes.Status409Conflict, text.UndoTooLateTitle, Paragraph(text, text.UndoSuperseded) + Paragraph(text, text.NothingWasChanged));
    }

    /// <summary>The undo window has passed.</summary>
    public static UnsubscribePage UndoWindowPassed(TimeSpan window)
    {
        var text = RecipientPageText.Current;
        return new(
            StatusCodes.Status409Conflict,
            text.UndoTooLateTitle,
            Paragraph(text, text.UndoWindowPassed, Encode(Duration(window, text))) + Paragraph(text, text.NothingWasChanged));
    }

    /// <summary>Widen from a link that already covers the whole sender.</summary>
    public static UnsubscribePage CannotWiden()
    {
        var text = RecipientPageText.Current;
        return new(StatusCodes.Status400BadRequest, text.CannotWidenTitle, Paragraph(text, text.CannotWiden) + Paragraph(text, text.NothingWasChanged));
    }

    /// <summary>An expired or unreadable link: says which, and what to do instead; nothing was written.</summary>
    public static UnsubscribePage Invalid(TokenRejection rejection, TimeSpan lifetime)
    {
        var text = RecipientPageText.Current;
        return rejection == TokenRejection.Expired
            ? new(
                StatusCodes.Status400BadRequest,
                text.ExpiredTitle,
                Paragraph(text, text.Expired, Encode(lifetime.TotalDays.ToString("0", text.Culture))) + Paragraph(text, text.NothingWasChanged),
                languageSwitch: true)
            : new(
                StatusCodes.Status400BadRequest,
                text.InvalidTitle,
                Paragraph(text, text.Invalid) + Paragraph(text, text.NothingWasChanged),
                languageSwitch: true);
    }

    /// <summary>A POST without the one-click body or the page's form field.</summary>
    public static UnsubscribePage NotUnderstood()
    {
        var text = RecipientPageText.Current;
        return new(
            StatusCodes.Status400BadRequest,
            text.RequestNotUnderstoodTitle,
            Paragraph(text, text.RequestNotUnderstood, Strong(text.UnsubscribeButton)) + Paragraph(text, text.NothingWasChanged));
    }

    /// <summary>The list could not be written: nothing is recorded, so the page says so (503, retry soon).</summary>
    public static UnsubscribePage Unavailable()
    {
        var text = RecipientPageText.Current;
        return new(
            StatusCodes.Status503ServiceUnavailable,
            text.UnavailableTitle,
            Paragraph(text, text.NotRecorded, Strong(text.NotUnsubscribedYet)),
            TimeSpan.FromSeconds(5));
    }

    public static UnsubscribePage TooManyRequests(TimeSpan retryAfter)
    {
        var text = RecipientPageText.Current;
        return new(StatusCodes.Status429TooManyRequests, text.TooManyTitle, Paragraph(text, text.TooMany), retryAfter);
    }

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
            $"<!DOCTYPE html>\n<html lang=\"{_text.Language}\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n"
            + $"<title>{title}</title>\n<style>{Style}{BrandStyle(_brand)}</style>\n</head>\n<body>\n<main>\n{Logo(_brand)}<h1>{title}</h1>\n{_bodyHtml}\n</main>\n"
            + (_languageSwitch ? LanguageSwitch(_text) : string.Empty)
            + "</body>\n</html>\n",
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

    // The sender by its name, and a catalogue list by its name; a hidden list is never named.
    private static string WhatStops(UnsubscribeToken token, Sender sender, RecipientPageText text)
    {
        var name = sender.NameIn(text);
        return (token.Tenant, token.Topic) switch
        {
            (null, _) => text.Format(text.MarketingMailFromSender, name),
            (_, null) => text.Format(text.MailFromSender, name),
            (_, { } topic) => sender.Topic(topic) switch
            {
                { Visible: false } => text.Format(text.HiddenTopicOfSender, name),
                { Name: { } topicName } => text.Format(text.TopicOfSender, topicName.For(text.Culture), name),
                _ => text.Format(text.TopicOfSender, topic, name),
            },
        };
    }

    private static string Duration(TimeSpan window, RecipientPageText text) => window.TotalMinutes >= 2
        ? text.Format(text.Minutes, ((int)window.TotalMinutes).ToString(text.Culture))
        : text.Format(text.Seconds, ((int)window.TotalSeconds).ToString(text.Culture));

    // A paragraph of a text whose {0}, {1} take values that are already HTML (encoded, maybe in <strong>).
    private static string Paragraph(RecipientPageText text, string format, params string[] htmlValues) =>
        "<p>" + text.Format(Encode(format), htmlValues) + "</p>";

    // The sender's accent on the buttons (checked readable with their white text at start-up); the outline buttons keep the text colour.
    private static string BrandStyle(Sender? brand) => brand?.Accent is { } accent ? $"button:not(.secondary){{background:{accent}}}" : string.Empty;

    // Served by this gateway (img-src 'self'): the page still fetches nothing from anywhere else.
    private static string Logo(Sender? brand) => brand?.LogoPath is { } path
        ? $"<img class=\"logo\" src=\"{Encode(path)}\" alt=\"{Encode(brand.Name ?? string.Empty)}\">\n"
        : string.Empty;

    private static string Strong(string value) => "<strong>" + Encode(value) + "</strong>";

    // The languages the page speaks, each in itself: a plain link to the same page (GET), so no script is needed.
    private static string LanguageSwitch(RecipientPageText text)
    {
        var links = RecipientLanguage.Supported.Select(language => language.Code == text.Language
            ? $"<a href=\"?{RecipientLanguage.QueryParameter}={language.Code}\" lang=\"{language.Code}\" hreflang=\"{language.Code}\" aria-current=\"true\">{Encode(language.NativeName)}</a>"
            : $"<a href=\"?{RecipientLanguage.QueryParameter}={language.Code}\" lang=\"{language.Code}\" hreflang=\"{language.Code}\">{Encode(language.NativeName)}</a>");
        return $"<nav class=\"languages\" aria-label=\"{Encode(text.LanguageLabel)}\">{string.Join(" ", links)}</nav>\n";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
