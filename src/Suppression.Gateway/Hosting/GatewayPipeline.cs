using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Gateway.Audit;
using Suppression.Gateway.BatchCheck;
using Suppression.Gateway.Configuration;
using Suppression.Gateway.Console;
using Suppression.Gateway.Feedback;
using Suppression.Gateway.Feedback.Providers;
using Suppression.Gateway.Operations;
using Suppression.Gateway.Suppressions;
using Suppression.Gateway.Telemetry;
using Suppression.Gateway.Unsubscribe;
using Suppression.Gateway.Webhooks;

namespace Suppression.Gateway.Hosting;

/// <summary>The HTTP side: the middleware in order, then every endpoint group.</summary>
public static class GatewayPipeline
{
    public static WebApplication UseGatewayPipeline(this WebApplication app, GatewayConfiguration settings)
    {
        if (settings.Gateway.Http.HasProxies)
        {
            // First, so everything after (limits, audit records, the console's Secure cookies) sees the client and scheme.
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ApiErrors.StatusCodeFor,

            // A client's unreadable body is not a server fault, nor is Redis being down (ApiErrors
            // logs that as one warning line): no error log with a stack trace for either.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || ApiErrors.IsStoreUnavailable(context.Exception),
        });
        app.UseStatusCodePages();
        app.UseRecipientLanguage();
        app.UseConsole();
        return app;
    }

    public static WebApplication MapGatewayEndpoints(this WebApplication app, GatewayConfiguration settings)
    {
        app.MapHealth();
        app.MapUnsubscribe();

        // Outside the API key's group: an ESP proves itself with its own signature.
        app.MapProviderFeedbackApiV1();
        app.MapGroup("/api/v1")
            .AddEndpointFilter(new ApiKeyFilter(app.Services.GetRequiredService<ApiKeys>()))
            .WithKeyedApiProblems()
            .MapSuppressionsApiV1()
            .MapSuppressionListApiV1()
            .MapBatchCheckApiV1()
            .MapAuditApiV1()
            .MapStorageApiV1()
            .MapSmtpLockoutsApiV1()
            .MapFeedbackReviewApiV1()
            .MapWebhooksApiV1();
        app.MapApiContract();
        app.MapConsole();
        var metrics = settings.Gateway.Metrics;
        app.MapMetrics(metrics, GatewayServices.Digests(metrics.ApiKeys ?? [], "Suppression:Metrics:ApiKeys"));
        return app;
    }
}
