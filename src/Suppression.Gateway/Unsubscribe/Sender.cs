namespace Suppression.Gateway.Unsubscribe;

/// <summary>Who sent the message a link came from, as the recipient's pages name it.</summary>
/// <param name="Name">The tenant's DisplayName, else Suppression:Unsubscribe:OrganizationName, else the tenant's id; null for none (no tenant, no organisation).</param>
/// <param name="PrivacyUrl">Its privacy notice (https), or null.</param>
/// <param name="Topics">Its catalogue, visible or not; empty for a sender without one, or one not configured.</param>
/// <param name="HasPreferences">Whether the link's holder may choose among this sender's lists: a configured tenant.</param>
/// <param name="Accent">The buttons' colour (#rrggbb, readable with white text), or null for the pages' own.</param>
/// <param name="LogoPath">Where the page finds the sender's logo on this gateway, or null for none.</param>
public sealed record Sender(string? Name, Uri? PrivacyUrl, IReadOnlyList<CatalogueTopic> Topics, bool HasPreferences, string? Accent = null, string? LogoPath = null)
{
    public string NameIn(RecipientPageText text) => Name ?? (text ?? RecipientPageText.Current).UnnamedSender;

    public CatalogueTopic? Topic(string? id) => id is null ? null : Topics.FirstOrDefault(topic => topic.Id == id);

    /// <summary>What the page may name: visible topics, in the configured order.</summary>
    public IEnumerable<CatalogueTopic> VisibleTopics => Topics.Where(topic => topic.Visible);
}
