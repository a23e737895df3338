using Suppression.Smtp.Feedback;
using Suppression.Smtp.Messages.Dkim;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;

namespace Suppression.Gateway.Configuration;

/// <summary>The <c>Suppression</c> configuration section (docs/design.md, configuration).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Suppression";

    /// <summary>StackExchange.Redis configuration string; empty starts the embedded server.</summary>
    public string? Redis { get; set; }

    /// <summary>The start of every key the gateway writes, so several gateways (or environments) can share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = Suppression.Redis.Layout.RedisKeyLayout.DefaultPrefix;

    /// <summary>
    /// The format a store that has never been written to is marked with at start-up: Compact, or
    /// Hashed (no addresses kept: exports give mailbox keys). A store with data keeps its own
    /// (docs/operations.md, the stored format).
    /// </summary>
    public Suppression.Redis.Suppressions.StorageFormat NewStoreFormat { get; set; } = Suppression.Redis.Suppressions.StorageFormat.Compact;

    public Suppression.Redis.Resilience.RedisResilienceOptions RedisResilience { get; set; } = new();

    public string DataDirectory { get; set; } = "./data";

    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    public AddressOptions Addresses { get; set; } = new();

    public AdminOptions Admin { get; set; } = new();

    public ComplianceOptions Compliance { get; set; } = new();

    public SmtpServerOptions Smtp { get; set; } = new();

    public UpstreamOptions Upstream { get; set; } = new();

    public TokenOptions Tokens { get; set; } = new();

    public UnsubscribeOptions Unsubscribe { get; set; } = new();

    public DkimOptions Dkim { get; set; } = new();

    /// <summary>The sending organisations (docs/design.md, consent model: <c>tenant:&lt;id&gt;</c> scopes).</summary>
    public TenantOptions[] Tenants { get; set; } = [];

    public FeedbackOptions Feedback { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public ConsoleOptions Console { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public HttpOptions Http { get; set; } = new();

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
