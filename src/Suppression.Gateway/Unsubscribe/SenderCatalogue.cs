using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// Every tenant's name, privacy notice and lists (<c>Suppression:Tenants</c>), as the pages at
/// /u/{token} present the sender a link names. Built once from validated options.
/// </summary>
public sealed class SenderCatalogue
{
    private readonly Dictionary<string, Sender> _senders;
    private readonly Dictionary<string, SenderLogo> _logos;
    private readonly Sender _operator;

    public SenderCatalogue(IEnumerable<TenantOptions> tenants, string? organizationName)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        var organization = string.IsNullOrWhiteSpace(organizationName) ? null : organizationName.Trim();
        _operator = new Sender(organization, null, [], HasPreferences: false);
        var configured = tenants.ToList();
        _logos = configured.Where(tenant => tenant.LogoFile is not null)
            .ToDictionary(tenant => tenant.Id, tenant => SenderLogo.TryRead(tenant.LogoFile!, out var problem) ?? throw new InvalidOperationException(problem), StringComparer.Ordinal);
        _senders = configured.ToDictionary(tenant => tenant.Id, tenant => SenderOf(tenant, organization, _logos.ContainsKey(tenant.Id)), StringComparer.Ordinal);
    }

    /// <summary>A configured tenant's logo, read at start-up; null for a tenant without one.</summary>
    public SenderLogo? LogoOf(string tenant) => _logos.GetValueOrDefault(tenant);

    /// <summary>The sender of a link's mail: a configured tenant, an unknown one by its id, or the operator for no tenant.</summary>
    public Sender For(string? tenant) => tenant switch
    {
        null => _operator,
        _ when _senders.TryGetValue(tenant, out var sender) => sender,
        _ => new Sender(tenant, null, [], HasPreferences: false),
    };

    /// <summary>Whether a configured name can be shown as it is: 1-100 characters, no control characters.</summary>
    public static bool IsDisplayableName(string name) =>
        name is not null && name.Trim().Length is > 0 and <= 100 && !name.Any(char.IsControl);

    private static Sender SenderOf(TenantOptions tenant, string? organization, bool hasLogo)
    {
        var name = string.IsNullOrWhiteSpace(tenant.DisplayName) ? organization ?? tenant.Id : tenant.DisplayName.Trim();
        var privacy = tenant.PrivacyUrl is null ? null : new Uri(tenant.PrivacyUrl, UriKind.Absolute);
        var topics = (tenant.Topics ?? []).Select(topic => new CatalogueTopic(
            topic.Id,
            Text(topic.Name),
            Text(topic.Description),
            topic.ParsedClass ?? tenant.DefaultClass,
            topic.IsVisible)).ToList();
        var accent = AccentColor.TryParse(tenant.AccentColor, out var color, out _) ? color : null;
        return new Sender(name, privacy, topics, HasPreferences: true, accent, hasLogo ? SenderLogo.PathPrefix + Uri.EscapeDataString(tenant.Id) : null);
    }

    private static LocalizedText? Text(TopicText? text) =>
        string.IsNullOrWhiteSpace(text?.Default)
            ? null
            : new LocalizedText(text.Default.Trim(), text.ToDictionary(pair => pair.Key, pair => pair.Value.Trim(), StringComparer.OrdinalIgnoreCase));
}
