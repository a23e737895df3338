using Suppression.Gateway.Access;
using Suppression.Gateway.Audit;
using Suppression.Gateway.Console;
using Suppression.Gateway.Telemetry;
using Suppression.Gateway.Unsubscribe;

namespace Suppression.Gateway.Configuration;

/// <summary>
/// The host's keys of the <c>Suppression</c> section (docs/design.md, configuration). The SMTP side's
/// sections are <c>SmtpGatewayOptions</c> and the store's keys <c>SuppressionRedisOptions</c>, each
/// bound and validated in its own project.
/// </summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Suppression";

    public string DataDirectory { get; set; } = "./data";

    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    public AddressOptions Addresses { get; set; } = new();

    public AdminOptions Admin { get; set; } = new();

    public ComplianceOptions Compliance { get; set; } = new();

    public TokenOptions Tokens { get; set; } = new();

    public UnsubscribeOptions Unsubscribe { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public ConsoleOptions Console { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
