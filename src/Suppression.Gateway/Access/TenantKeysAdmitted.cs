namespace Suppression.Gateway.Access;

/// <summary>
/// Endpoint metadata: this endpoint admits tenant keys (it applies <see cref="TenantView"/> itself).
/// Without it, <see cref="ApiKeyFilter"/> and the console refuse a tenant key, so a new endpoint is
/// closed to tenants until someone opens it on purpose (<see cref="TenantKeyEndpoints.AdmitTenantKeys"/>).
/// </summary>
public sealed class TenantKeysAdmitted
{
    public static TenantKeysAdmitted Instance { get; } = new();

    private TenantKeysAdmitted()
    {
    }

    public static bool On(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.GetEndpoint()?.Metadata.GetMetadata<TenantKeysAdmitted>() is not null;
    }
}
