using Suppression.Gateway.Configuration;

namespace Suppression.Gateway.Apis;

/// <summary>Admits a request to /api/v1 only with <c>Authorization: Bearer &lt;key&gt;</c> matching a configured key.</summary>
public sealed class ApiKeyFilter(IReadOnlyList<ApiKeyDigest> keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && ApiKeyDigest.Matches(keys, header["Bearer ".Length..].Trim()))
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "Send an API key from Suppression:Admin:ApiKeys as 'Authorization: Bearer <key>'.");
    }
}
