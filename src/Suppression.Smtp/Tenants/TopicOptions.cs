namespace Suppression.Smtp.Tenants;

/// <summary><c>Suppression:Tenants:N:Topics:M</c>: one of a tenant's lists, as its mail names it.</summary>
public sealed class TopicOptions
{
    /// <summary>The topic in scopes (<c>topic:&lt;tenant&gt;/&lt;Id&gt;</c>): lower-case letters, digits, '-', '_', '.'.</summary>
    public string Id { get; set; } = string.Empty;
}
