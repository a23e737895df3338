using Suppression.Gateway.Access;
using Suppression.Smtp.Tenants;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// Who asks for a batch check, as far as the answer depends on it: the tenant it speaks for (which,
/// as for an SMTP client bound by network or AUTH, no request can change), the key's view of the
/// list (<see cref="TenantView"/>), and what it may see of the entries that decide. Admin and
/// compliance keys speak for nobody in particular and see everything; a tenant key speaks for its
/// tenant and sees the deciding entry only when its view may (global entries and its own).
/// </summary>
public sealed record CheckCaller(Tenant? BoundTenant, TenantView View, EntryDisclosure Disclosure)
{
    public static CheckCaller Of(HttpContext http, TenantDirectory tenants)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tenants);
        var view = TenantView.Of(http);
        if (view.Tenant is null)
        {
            return new CheckCaller(null, view, EntryDisclosures.Everything);
        }

        // Start-up refuses a tenant key whose tenant is not configured; were it missing all the same,
        // no tenant bound means every tenant's opt-outs apply, and the view still hides their entries.
        tenants.TryGet(view.Tenant, out var bound);
        return new CheckCaller(bound, view, EntryDisclosures.As(view));
    }
}
