namespace Suppression.Gateway.Access;

/// <summary>
/// Admits a request to /api/v1 only with <c>Authorization: Bearer &lt;key&gt;</c> matching a configured
/// key. Admin keys (<c>Suppression:Admin:ApiKeys</c>) may do everything; compliance keys
/// (<c>Suppression:Compliance:ApiKeys</c>) may only read (GET, HEAD, and a POST marked <see cref="ReadsOnly"/>):
/// a write with one is 403 and changes nothing.
/// Tenant keys (<c>Suppression:Tenants:N:ApiKeys</c>) reach only the endpoints that admit them
/// (<see cref="TenantKeysAdmitted"/>), which keep them to their tenant (<see cref="TenantView"/>).
/// </summary>
public sealed class ApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    public const string RoleItem = "Suppression.ApiRole";

    /// <summary>Who the audit names for this request: the role and the key's fingerprint, never the key.</summary>
    public const string ActorItem = "Suppression.ApiActor";

    /// <summary>The <see cref="ApiKeyHolder"/> of the request's key: its role and, for a tenant key, its tenant.</summary>
    public const string HolderItem = "Suppression.ApiKeyHolder";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var holder = keys.HolderOf(presented);
        if (holder is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "Send an API key from Suppression:Admin:ApiKeys (or, to read, Suppression:Compliance:ApiKeys; for one tenant, Suppression:Tenants:N:ApiKeys) as 'Authorization: Bearer <key>'.");
        }

        if (holder.Role == ApiKeys.ComplianceRole && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.GetEndpoint()?.Metadata.GetMetadata<ReadsOnly>() is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: "This key has the compliance role: it may read, search, export and verify, but not change anything. Use a key from Suppression:Admin:ApiKeys.");
        }

        if (holder.IsTenant && !TenantKeysAdmitted.On(http))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: TenantKeyRefusal(holder.Tenant!));
        }

        http.Items[RoleItem] = holder.Role;
        http.Items[HolderItem] = holder;
        http.Items[ActorItem] = holder.ActorFor(presented!);
        return await next(context);
    }

    /// <summary>What a tenant key may do, for the 403 of everything else (API and console say the same).</summary>
    public static string TenantKeyRefusal(string tenant) =>
        $"This key acts for tenant '{tenant}': it may add and remove suppressions of tenant:{tenant} and topic:{tenant}/<topic>, "
        + $"look up whether an address is blocked for {tenant}'s mail, batch-check addresses for it, and import files into those scopes. "
        + "Erasures, global suppressions, other tenants, the audit trail, exports, feedback review, webhooks, storage and SMTP lockouts need an admin or compliance key.";
}
