using Suppression.Suppressions;

namespace Suppression.Gateway.Console;

/// <summary>A console page whose store read fails says so in a page (503), not in a problem document.</summary>
public sealed class StoreUnavailableFilter(ILoggerFactory loggers) : IEndpointFilter
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
            loggers.CreateLogger("Suppression.Console").LogWarning("Console page unavailable (503): {Error}", exception.Message);
            return MessagePage.Unavailable(ConsoleView.For(context.HttpContext));
        }
    }
}
