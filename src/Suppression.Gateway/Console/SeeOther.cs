namespace Suppression.Gateway.Console;

/// <summary>
/// 303 See Other: after a form's POST the browser fetches the next page with GET, so reloading it
/// does not send the form again (RFC 9110 15.4.4).
/// </summary>
public sealed class SeeOther(string location) : IResult
{
    public string Location => location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
