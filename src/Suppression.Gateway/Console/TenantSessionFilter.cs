using System.Security.Claims;
using Suppression.Gateway.Access;

namespace Suppression.Gateway.Console;

/// <summary>
/// Refuses a tenant key's session on every console page that does not admit tenant keys
/// (<see cref="TenantKeysAdmitted"/>): a 403 page saying what such a key may do, and nothing done.
/// Deny by default, as the API's <see cref="ApiKeyFilter"/>: a new page is closed to tenants.
/// </summary>
public sealed class TenantSessionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var tenantSession = http.User.Identity?.AuthenticationType == ConsoleAuthentication.Scheme
            && http.User.FindFirstValue(ConsoleAuthentication.TenantClaim) is not null;
        if (tenantSession && !TenantKeysAdmitted.On(http))
        {
            return MessagePage.TenantKeyRefused(ConsoleView.For(http));
        }

        return await next(context);
    }
}
