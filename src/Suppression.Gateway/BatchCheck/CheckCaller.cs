using Suppression.Gateway.Access;
using Suppression.Smtp.Tenants;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// Who asks for a batch check, as far as the answer depends on it: the tenant it speaks for (which,
/// as for an SMTP client bound by network or AUTH, no request can change) and what it may see of
/// the entries that decide. Admin and compliance keys speak for nobody in particular and see
/// everything; any other role sees verdicts only until its rule is wired in here.
/// </summary>
public sealed record CheckCaller(Tenant? BoundTenant, EntryDisclosure Disclosure)
{
    public static CheckCaller Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[ApiKeyFilter.RoleItem] as string is ApiKeys.AdminRole or ApiKeys.ComplianceRole
            ? new CheckCaller(null, EntryDisclosures.Everything)
            : new CheckCaller(null, EntryDisclosures.VerdictOnly);
    }
}
