using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Suppression.Telemetry;

/// <summary>
/// The one Meter and the one ActivitySource every part of the gateway records into, so an exporter
/// subscribes to a single name. Instruments are created once, statically, by the telemetry class
/// of the project that records them; with no listener, recording is a check and a return.
/// Spans and tags never carry an address: counts, reasons, scopes, tenant ids and reply codes only.
/// </summary>
public static class Instrumentation
{
    public const string Name = "Suppression.Gateway";

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);
}
