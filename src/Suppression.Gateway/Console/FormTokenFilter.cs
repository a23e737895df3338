using Microsoft.AspNetCore.Antiforgery;

namespace Suppression.Gateway.Console;

/// <summary>
/// Refuses every console POST that lacks a valid antiforgery token (cookie and form field), before
/// its handler runs: a 400 page, and nothing done.
/// </summary>
public sealed class FormTokenFilter(IAntiforgery antiforgery, ILogger<FormTokenFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await IsValidAsync(http))
        {
            logger.ConsoleFormRefused(http.Request.Path, http.Connection.RemoteIpAddress);
            return MessagePage.FormRejected(ConsoleView.For(http));
        }

        return await next(context);
    }

    private async Task<bool> IsValidAsync(HttpContext http)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(http);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            // A body that is not a readable form carries no token either.
            return false;
        }
    }
}
