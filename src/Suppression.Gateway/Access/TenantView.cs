using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Suppressions;

namespace Suppression.Gateway.Access;

/// <summary>
/// What a caller may see of the list and where it may write: everything for an admin or compliance
/// key; for a tenant key, the entries that decide its own mail (global ones, its tenant's, its
/// topics') and writes in its own scopes only. Another tenant's entries do not exist for it: no
/// reason, no time, not even a count. Every endpoint that shows or changes entries asks this one
/// type, so the rule is written once.
/// </summary>
public sealed class TenantView
{
    private TenantView(string? tenant) => Tenant = tenant;

    /// <summary>The admin's and compliance officer's view: the whole list.</summary>
    public static TenantView Everything { get; } = new(null);

    /// <summary>The tenant whose view this is; null for the whole list.</summary>
    public string? Tenant { get; }

    public static TenantView For(ApiKeyHolder holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        return holder.Tenant is { } tenant ? ForTenant(tenant) : Everything;
    }

    public static TenantView ForTenant(string tenant) => new(tenant ?? throw new ArgumentNullException(nameof(tenant)));

    /// <summary>The view of the API request's key (set by <see cref="ApiKeyFilter"/>); the whole list for a request without one.</summary>
    public static TenantView Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[ApiKeyFilter.HolderItem] is ApiKeyHolder holder ? For(holder) : Everything;
    }

    /// <summary>The scope written when a tenant key names none: its tenant's; global for the others.</summary>
    public SuppressionScope DefaultScope => Tenant is null ? SuppressionScope.Global : SuppressionScope.ForTenant(Tenant);

    /// <summary>Whether an entry of <paramref name="scope"/> may be shown: it applies to this tenant's mail.</summary>
    public bool MaySee(SuppressionScope scope) => Tenant is null || scope.Kind == ScopeKind.Global || scope.Tenant == Tenant;

    /// <summary>Whether entries of <paramref name="scope"/> may be added or removed: the tenant's own scope or one of its topics.</summary>
    public bool MayChange(SuppressionScope scope) => Tenant is null || (scope.Kind != ScopeKind.Global && scope.Tenant == Tenant);

    /// <summary>
    /// Whether this caller may ask about mail of <paramref name="tenant"/> (a check's context): a tenant
    /// key only about its own, or a verdict would reveal another tenant's entries.
    /// </summary>
    public bool MayActFor(string? tenant) => Tenant is null || string.Equals(tenant, Tenant, StringComparison.Ordinal);

    /// <summary>The entries this view may show, in their order.</summary>
    public IReadOnlyList<SuppressionEntry> Visible(IReadOnlyList<SuppressionEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Tenant is null ? entries : entries.Where(entry => MaySee(entry.Scope)).ToList();
    }

    /// <summary>The 403 for a question about another tenant's mail (<see cref="MayActFor"/>).</summary>
    public ProblemHttpResult OtherTenant(string? tenant) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Forbidden",
        detail: $"This key acts for tenant '{Tenant}': it may ask only about {Tenant}'s mail, not {(tenant is null ? "mail of no tenant" : $"tenant '{tenant}'")}.");

    /// <summary>The 403 for a write outside this tenant's scopes: nothing was changed.</summary>
    public ProblemHttpResult OutsideScope(SuppressionScope scope) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Forbidden",
        detail: $"This key acts for tenant '{Tenant}': it may change only the scopes tenant:{Tenant} and topic:{Tenant}/<topic>, not {scope}. Nothing was changed.");
}
