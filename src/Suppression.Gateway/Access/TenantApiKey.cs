namespace Suppression.Gateway.Access;

/// <summary>One key of <c>Suppression:Tenants:N:ApiKeys</c> and the tenant it acts for.</summary>
public sealed record TenantApiKey(string Tenant, ApiKeyDigest Digest);
