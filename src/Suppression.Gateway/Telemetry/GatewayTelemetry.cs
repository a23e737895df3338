using System.Reflection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Suppression.Gateway.Access;
using Suppression.Telemetry;

namespace Suppression.Gateway.Telemetry;

/// <summary>
/// The one place that wires OpenTelemetry. Metrics: the gateway's meter plus ASP.NET Core's,
/// Kestrel's, the runtime's and Polly's (the upstream pipeline's retries and circuit breaker),
/// scraped at <c>GET /metrics</c> and, with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, pushed over OTLP
/// with the traces and the logs. Without an OTLP endpoint no span is recorded at all: a span nobody
/// exports would only cost the hot path. Everything exported is free of addresses (<see cref="SpanRedaction"/>).
/// </summary>
public static class GatewayTelemetry
{
    public const string ServiceName = "suppression-gateway";
    public const string MetricsPath = "/metrics";

    /// <summary>ASP.NET Core's HTTP server spans (tagged by OpenTelemetry.Instrumentation.AspNetCore); the unsubscribe spans are their children.</summary>
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    private static readonly string[] Meters =
        [Instrumentation.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime", "Polly"];

    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration, MetricsOptions metrics)
    {
        // The exporters read these keys (and the rest of OTEL_EXPORTER_OTLP_*) from the configuration,
        // which includes the environment; a signal goes out when its endpoint or the common one is set.
        bool Otlp(string signal) =>
            !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);
        var (traces, metricsOverOtlp, logs) = (Otlp("TRACES"), Otlp("METRICS"), Otlp("LOGS"));
        if (!metrics.Prometheus && !traces && !metricsOverOtlp && !logs)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(
            configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName,
            serviceVersion: typeof(GatewayTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion));
        if (metrics.Prometheus || metricsOverOtlp)
        {
            telemetry.WithMetrics(meters =>
            {
                meters.AddMeter(Meters);
                if (metrics.Prometheus)
                {
                    meters.AddPrometheusExporter();
                }

                if (metricsOverOtlp)
                {
                    meters.AddOtlpExporter();
                }
            });
        }

        if (traces)
        {
            // Probes and scrapes are not worth a trace each. The redaction runs before the exporter sees a span.
            telemetry.WithTracing(tracing => tracing
                .AddSource(Instrumentation.Name)
                .AddAspNetCoreInstrumentation(http => http.Filter = context =>
                    !context.Request.Path.StartsWithSegments(MetricsPath) && !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/readyz"))
                .AddProcessor(new SpanRedaction())
                .AddOtlpExporter());
        }

        if (logs)
        {
            // No scopes: ASP.NET Core's request scope holds the path, and a path can hold an address
            // (/api/v1/suppressions/{address}) or an unsubscribe token.
            telemetry.WithLogging(logging => logging.AddOtlpExporter(), options =>
            {
                options.IncludeScopes = false;
                options.IncludeFormattedMessage = true;
            });
        }

        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in the Prometheus text format, behind <c>Authorization: Bearer</c> when
    /// <c>Suppression:Metrics:ApiKeys</c> is set.
    /// </summary>
    public static WebApplication MapMetrics(this WebApplication app, MetricsOptions metrics, IReadOnlyList<ApiKeyDigest> keys)
    {
        if (!metrics.Prometheus)
        {
            return app;
        }

        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: keys.Count == 0 ? null : branch => branch.Use(async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
            if (presented is not null && ApiKeyDigest.Matches(keys, presented))
            {
                await next(context);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            await TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "Send a key from Suppression:Metrics:ApiKeys as 'Authorization: Bearer <key>'.").ExecuteAsync(context);
        }), optionsName: null);
        return app;
    }
}
