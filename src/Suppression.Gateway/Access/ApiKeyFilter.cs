namespace Suppression.Gateway.Access;

/// <summary>
/// Admits a request to /api/v1 only with <c>Authorization: Bearer &lt;key&gt;</c> matching a configured
/// key. Admin keys (<c>Suppression:Admin:ApiKeys</c>) may do everything; compliance keys
/// (<c>Suppression:Compliance:ApiKeys</c>) may only read (GET, HEAD, and a POST marked <see cref="ReadsOnly"/>):
/// a write with one is 403 and changes nothing.
/// </summary>
public sealed class ApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    public const string RoleItem = "Suppression.ApiRole";

    /// <summary>Who the audit names for this request: the role and the key's fingerprint, never the key.</summary>
    public const string ActorItem = "Suppression.ApiActor";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var role = keys.RoleOf(presented);
        if (role == ApiKeys.AdminRole)
        {
            http.Items[RoleItem] = role;
            http.Items[ActorItem] = ApiKeys.Actor(role, presented!);
            return await next(context);
        }

        if (role == ApiKeys.ComplianceRole)
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && http.GetEndpoint()?.Metadata.GetMetadata<ReadsOnly>() is null)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Forbidden",
                    detail: "This key has the compliance role: it may read, search, export and verify, but not change anything. Use a key from Suppression:Admin:ApiKeys.");
            }

            http.Items[RoleItem] = role;
            http.Items[ActorItem] = ApiKeys.Actor(role, presented!);
            return await next(context);
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "Send an API key from Suppression:Admin:ApiKeys (or, to read, Suppression:Compliance:ApiKeys) as 'Authorization: Bearer <key>'.");
    }
}
