namespace Suppression.Gateway.Access;

/// <summary>
/// Who presented a key: its role (<see cref="ApiKeys.AdminRole"/>, <see cref="ApiKeys.ComplianceRole"/>
/// or <see cref="ApiKeys.TenantRole"/>) and, for a tenant key, the tenant it acts for.
/// </summary>
public sealed record ApiKeyHolder(string Role, string? Tenant = null)
{
    public bool IsTenant => Tenant is not null;

    /// <summary>The role as the audit names it: <c>admin</c>, <c>compliance</c> or <c>tenant:&lt;id&gt;</c>.</summary>
    public string AuditRole => Tenant is null ? Role : $"{Role}:{Tenant}";

    /// <summary>Who the audit names for a request made with <paramref name="key"/> (<see cref="ApiKeys.Actor"/>).</summary>
    public string ActorFor(string key) => ApiKeys.Actor(AuditRole, key);
}
