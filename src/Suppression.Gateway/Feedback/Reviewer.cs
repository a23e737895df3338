namespace Suppression.Gateway.Feedback;

/// <summary>
/// Who applies or dismisses a held report, as its audit records name them: the actor (an API key's
/// or a console session's <c>api-key:&lt;role&gt;:&lt;fingerprint&gt;</c>), the client and its User-Agent.
/// </summary>
public sealed record Reviewer(string Actor, string? ClientAddress, string? UserAgent)
{
    public static Reviewer Of(HttpContext http, string actor)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new(
            actor,
            http.Connection.RemoteIpAddress?.ToString(),
            http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
    }
}
