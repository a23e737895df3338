using Suppression.Audit;
using Suppression.Gateway.Feedback;

namespace Suppression.Gateway.Access;

/// <summary>The audit record of an API request: its actor (set by <see cref="ApiKeyFilter"/>), client and User-Agent.</summary>
internal static class ApiAudit
{
    public static AuditRecord Record(HttpContext http, DateTimeOffset now, AuditEventType type) =>
        new(now, type, http.Items[ApiKeyFilter.ActorItem] as string ?? "api-key")
        {
            ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
        };

    public static Reviewer ReviewerOf(HttpContext http) => Reviewer.Of(http, http.Items[ApiKeyFilter.ActorItem] as string ?? "api-key");
}
