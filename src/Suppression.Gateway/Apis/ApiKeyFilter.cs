using Suppression.Gateway.Configuration;

namespace Suppression.Gateway.Apis;

/// <summary>
/// Admits a request to /api/v1 only with <c>Authorization: Bearer &lt;key&gt;</c> matching a configured
/// key. Admin keys (<c>Suppression:Admin:ApiKeys</c>) may do everything; compliance keys
/// (<c>Suppression:Compliance:ApiKeys</c>) may only read: a write with one is 403 and changes nothing.
/// </summary>
public sealed class ApiKeyFilter(IReadOnlyList<ApiKeyDigest> adminKeys, IReadOnlyList<ApiKeyDigest> complianceKeys) : IEndpointFilter
{
    public const string RoleItem = "Suppression.ApiRole";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (presented is not null && ApiKeyDigest.Matches(adminKeys, presented))
        {
            http.Items[RoleItem] = "admin";
            return await next(context);
        }

        if (presented is not null && ApiKeyDigest.Matches(complianceKeys, presented))
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Forbidden",
                    detail: "This key has the compliance role: it may read, search, export and verify, but not change anything. Use a key from Suppression:Admin:ApiKeys.");
            }

            http.Items[RoleItem] = "compliance";
            return await next(context);
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "Send an API key from Suppression:Admin:ApiKeys (or, to read, Suppression:Compliance:ApiKeys) as 'Authorization: Bearer <key>'.");
    }
}
