using System.Globalization;

namespace Suppression.Gateway.Console;

/// <summary>One rendered console page: its status code, its title and body inside the <see cref="Layout"/>.</summary>
public sealed class ConsolePage(int statusCode, string title, string bodyHtml, ConsoleView view) : IResult
{
    public int StatusCode => statusCode;

    public string Title => title;

    /// <summary>For 429 and 503: when trying again makes sense.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await response.WriteAsync(Layout.Render(title, bodyHtml, view), httpContext.RequestAborted);
    }
}
