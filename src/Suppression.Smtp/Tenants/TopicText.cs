namespace Suppression.Smtp.Tenants;

/// <summary>
/// A topic's <c>Name</c> or <c>Description</c>: the plain key's value (the default, English) and its
/// translations under <c>Name:&lt;language&gt;</c>. One configuration key cannot bind both a value and
/// children, so the binder fills the translations (this is a dictionary) and <c>TopicTranslations</c>
/// the default; a translation without a default then still binds, and validation names it.
/// </summary>
public sealed class TopicText : Dictionary<string, string>
{
    public TopicText()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    /// <summary>The plain key's value: what every language without its own falls back to.</summary>
    public string? Default { get; set; }
}
