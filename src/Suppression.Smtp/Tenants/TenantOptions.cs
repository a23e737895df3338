using Suppression.Suppressions;

namespace Suppression.Smtp.Tenants;

/// <summary><c>Suppression:Tenants:N</c>: one sending organisation and how the gateway recognises its mail.</summary>
public sealed class TenantOptions
{
    /// <summary>The tenant id in scopes (<c>tenant:&lt;Id&gt;</c>): letters, digits, '-', '_', '.'.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// What recipients call this sender, on the unsubscribe and preference pages; unset:
    /// <c>Suppression:Unsubscribe:OrganizationName</c>, else the id.
    /// </summary>
    public string? DisplayName { get; set; }

    /// <summary>The sender's privacy notice (https), linked from the preference page. None by default.</summary>
    public string? PrivacyUrl { get; set; }

    /// <summary>
    /// The colour of the recipient pages' buttons for this sender (<c>#rrggbb</c>), which must keep
    /// their white text readable (4.5:1). None by default: the pages' own blue.
    /// </summary>
    public string? AccentColor { get; set; }

    /// <summary>
    /// A logo file (PNG, JPEG or WebP, at most 256 KB) shown on the recipient pages, served by the
    /// gateway itself: never a remote URL, which would tell a third party who opened the page. None by default.
    /// </summary>
    public string? LogoFile { get; set; }

    /// <summary>Client networks (CIDR) whose mail is this tenant's; such clients may relay.</summary>
    public string[] Networks { get; set; } = [];

    /// <summary>
    /// Bearer keys for /api/v1 and the console that act for this tenant only (clear text or
    /// <c>sha256:&lt;hex&gt;</c>): its own scopes, lookups of what blocks its mail, imports into its
    /// scopes. The gateway's host checks and uses them. None by default.
    /// </summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>SMTP AUTH users who send for this tenant, from any network.</summary>
    public SmtpUserOptions[] SmtpUsers { get; set; } = [];

    /// <summary>The class of a message that does not say (<c>X-Suppression-Class</c>).</summary>
    public MessageClass DefaultClass { get; set; } = MessageClass.Marketing;

    /// <summary>
    /// Whether this tenant may send transactional mail, which passes marketing opt-outs
    /// (unsubscribes, complaints, imports). Off by default: the permission is the operator's to give.
    /// </summary>
    public bool AllowTransactional { get; set; }

    /// <summary>
    /// The tenant's lists. When it declares any, its mail may name only these topics
    /// (<c>X-Suppression-Topic</c> or <c>List-Id</c>), so a new list id cannot escape a topic opt-out.
    /// </summary>
    public TopicOptions[] Topics { get; set; } = [];

    /// <summary>
    /// The domain of this tenant's signed return paths, overriding <c>Suppression:Feedback:ReturnPathDomain</c>;
    /// its MX must point at the gateway.
    /// </summary>
    public string? ReturnPathDomain { get; set; }

    /// <summary>
    /// Where each report received on this tenant's return paths is forwarded (with the null sender),
    /// since the tenant's own bounce address no longer gets them. None by default.
    /// </summary>
    public string? BounceForwardAddress { get; set; }

    /// <summary>
    /// Gmail's feedback loop id for this tenant's mail (<c>a:b:c:SenderId</c>), stamped as <c>Feedback-ID</c>
    /// on every copy in place of the client's, and covered by the gateway's DKIM signature. None by default.
    /// </summary>
    public string? FeedbackId { get; set; }
}
