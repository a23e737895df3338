using Suppression.Smtp.Dkim;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.Hosting;

/// <summary>The SMTP side's sections of the <c>Suppression</c> configuration (docs/design.md, configuration).</summary>
public sealed class SmtpGatewayOptions
{
    public SmtpServerOptions Smtp { get; set; } = new();

    public UpstreamOptions Upstream { get; set; } = new();

    public DkimOptions Dkim { get; set; } = new();

    /// <summary>The sending organisations (docs/design.md, consent model: <c>tenant:&lt;id&gt;</c> scopes).</summary>
    public TenantOptions[] Tenants { get; set; } = [];

    public FeedbackOptions Feedback { get; set; } = new();

    /// <summary>Whether mail goes out with signed return paths: a global or a tenant's return-path domain is set.</summary>
    public bool UsesReturnPaths() =>
        !string.IsNullOrWhiteSpace(Feedback.ReturnPathDomain) || Tenants.Any(tenant => !string.IsNullOrWhiteSpace(tenant.ReturnPathDomain));
}
