using Suppression.Suppressions;

namespace Suppression.Gateway.Console;

/// <summary>A console page whose store read fails says so in a page (503), not in a problem document.</summary>
public sealed class StoreUnavailableFilter(ILogger<StoreUnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (SuppressionStoreUnavailableException exception) when (!context.HttpContext.Response.HasStarted)
        {
            logger.ConsolePageUnavailable(exception);
            return MessagePage.Unavailable(ConsoleView.For(context.HttpContext));
        }
    }
}
