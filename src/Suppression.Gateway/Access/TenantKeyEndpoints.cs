using Suppression.Suppressions;

namespace Suppression.Gateway.Access;

/// <summary>How an endpoint opens itself to tenant keys (deny by default: <see cref="TenantKeysAdmitted"/>).</summary>
public static class TenantKeyEndpoints
{
    /// <summary>Admits tenant keys to this endpoint, which must then show and change only what <see cref="TenantView"/> allows.</summary>
    public static TBuilder AdmitTenantKeys<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(TenantKeysAdmitted.Instance);
    }

    /// <summary>
    /// Admits tenant keys to an endpoint whose handler takes the target scope as <c>string? scope</c>
    /// (a query parameter): for a tenant key the scope must be its own (403 otherwise, before the
    /// handler runs), and none given means its tenant's scope rather than global.
    /// </summary>
    public static TBuilder AdmitTenantKeysToTheirScope<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var index = Array.FindIndex(factory.MethodInfo.GetParameters(), parameter => parameter.Name == "scope" && parameter.ParameterType == typeof(string));
            if (index < 0)
            {
                throw new InvalidOperationException($"{factory.MethodInfo.Name} takes no 'string? scope' parameter for a tenant key's scope to be checked in.");
            }

            return invocation =>
            {
                var view = TenantView.Of(invocation.HttpContext);
                if (view.Tenant is null)
                {
                    return next(invocation);
                }

                if (invocation.Arguments[index] is not string given)
                {
                    invocation.Arguments[index] = view.DefaultScope.ToString();
                }
                else if (SuppressionScope.TryParse(given, out var scope) && !view.MayChange(scope))
                {
                    return ValueTask.FromResult<object?>(view.OutsideScope(scope));
                }

                // A scope that does not parse is the handler's 400 to give.
                return next(invocation);
            };
        });
        return builder.AdmitTenantKeys();
    }
}
