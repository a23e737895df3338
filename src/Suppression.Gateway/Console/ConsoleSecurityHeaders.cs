namespace Suppression.Gateway.Console;

/// <summary>
/// The headers every /console response carries, set as the response starts so nothing a handler or
/// the antiforgery code sets can weaken them: the page loads nothing but its own stylesheet, posts
/// only to itself, cannot be framed, and is never cached (it shows personal data).
/// </summary>
public static class ConsoleSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseConsoleSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(ConsolePaths.Root, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-store";
                headers.Remove("Pragma");
                return Task.CompletedTask;
            });
        }

        return next(context);
    });
}
