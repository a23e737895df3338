namespace Suppression.Gateway.Telemetry;

/// <summary><c>Suppression:Metrics</c>: the Prometheus scrape endpoint, <c>GET /metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>False removes <c>GET /metrics</c>; export over OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is separate.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// Bearer keys for <c>GET /metrics</c>, clear text or <c>sha256:&lt;hex&gt;</c>; none means anyone who
    /// reaches the HTTP listener may scrape (metrics hold counts, never addresses).
    /// </summary>
    public string[]? ApiKeys { get; set; }
}
