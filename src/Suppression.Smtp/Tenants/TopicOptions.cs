using Suppression.Suppressions;

namespace Suppression.Smtp.Tenants;

/// <summary>
/// <c>Suppression:Tenants:N:Topics:M</c>: one of a tenant's lists, as its mail names it and as the
/// recipient's preference page (/u/{token}) shows it.
/// </summary>
public sealed class TopicOptions
{
    /// <summary>The topic in scopes (<c>topic:&lt;tenant&gt;/&lt;Id&gt;</c>): lower-case letters, digits, '-', '_', '.'.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>What recipients call the list (<c>Weekly deals</c>); <c>Name:de</c>, <c>Name:fr</c>... in other languages.</summary>
    public TopicText Name { get; set; } = new();

    /// <summary>One sentence on what the list sends; <c>Description:de</c>... in other languages.</summary>
    public TopicText Description { get; set; } = new();

    /// <summary>
    /// The class of a message on this list that does not say (<c>X-Suppression-Class</c>); unset: the
    /// tenant's <see cref="TenantOptions.DefaultClass"/>. Marketing or Transactional, read as text: the
    /// binder drops an array entry whose value it cannot convert, so validation names a misspelt one.
    /// A transactional list is no opt-out choice on the page, since unsubscribes do not stop it.
    /// </summary>
    public string? Class { get; set; }

    /// <summary>Whether the preference page names this list; unset: when it has a <see cref="Name"/>.</summary>
    public bool? Visible { get; set; }

    /// <summary>Whether the preference page names it: explicitly, or by having a name.</summary>
    public bool IsVisible => Visible ?? !string.IsNullOrWhiteSpace(Name?.Default);

    /// <summary>The configured class, when it is one (validation names a bad one).</summary>
    public MessageClass? ParsedClass => Enum.TryParse<MessageClass>(Class, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
}
