using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Suppression.Suppressions;

namespace Suppression.Gateway.Apis;

/// <summary>
/// What an exception in a request becomes for the client: an RFC 9457 problem with a status a
/// client can act on and a sentence it can read, never a stack trace or a type name.
/// </summary>
public static class ApiErrors
{
    public static int StatusCodeFor(Exception exception) => exception switch
    {
        BadHttpRequestException badRequest => badRequest.StatusCode,
        _ when IsStoreUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The store is down, slow or behind an open circuit: the store translates all of these into one exception.</summary>
    public static bool IsStoreUnavailable(Exception exception) => exception is SuppressionStoreUnavailableException;

    // ASP.NET Core's words for a query or route value that does not convert: 'Failed to bind parameter "int? limit" from "x".'
    private static string? UnboundParameter(BadHttpRequestException exception)
    {
        const string Prefix = "Failed to bind parameter \"";
        if (!exception.Message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = exception.Message.IndexOf('"', Prefix.Length);
        var declaration = end < 0 ? string.Empty : exception.Message[Prefix.Length..end];
        var name = declaration[(declaration.LastIndexOf(' ') + 1)..];
        return name.Length > 0 && name.All(char.IsAsciiLetterOrDigit) ? name : null;
    }

    public static void Describe(ProblemDetailsContext context)
    {
        var exception = context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error ?? context.Exception;
        switch (exception)
        {
            case BadHttpRequestException badRequest:
                context.ProblemDetails.Status = badRequest.StatusCode;
                context.ProblemDetails.Title = "Bad request";
                context.ProblemDetails.Detail = badRequest.InnerException is JsonException json
                    ? $"The body is not the JSON this endpoint expects (at {json.Path ?? "$"}, line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})."
                    : UnboundParameter(badRequest) is { } parameter
                        ? $"The parameter '{parameter}' has a value this endpoint cannot read."
                        : context.HttpContext.Request.ContentLength is null or 0
                            ? "This request needs a JSON body."
                            : "The request body could not be read as JSON.";
                break;
            case not null when IsStoreUnavailable(exception):
                // The store is down or slow: the same request will work once it is back.
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors))
                    .ApiStoreUnavailable(
                        context.HttpContext.Request.Method, (context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint as RouteEndpoint)?.RoutePattern.RawText, exception);
                context.HttpContext.Response.Headers.RetryAfter = "5";
                context.ProblemDetails.Status = StatusCodes.Status503ServiceUnavailable;
                context.ProblemDetails.Title = "Service unavailable";
                context.ProblemDetails.Detail = "The suppression list is temporarily unavailable; try again in a few seconds.";
                break;
        }
    }
}
