namespace Suppression.Suppressions;

public enum ScopeKind
{
    Global,
    Tenant,
    Topic,
}

/// <summary>
/// Who an opt-out applies to (docs/design.md, consent model): <c>global</c> (every sender),
/// <c>tenant:&lt;id&gt;</c> (one sending organisation) or <c>topic:&lt;tenant&gt;/&lt;topic&gt;</c>.
/// </summary>
public readonly record struct SuppressionScope
{
    private SuppressionScope(ScopeKind kind, string? tenant, string? topic)
    {
        Kind = kind;
        Tenant = tenant;
        Topic = topic;
    }

    public static SuppressionScope Global { get; } = new(ScopeKind.Global, null, null);

    public ScopeKind Kind { get; }

    public string? Tenant { get; }

    public string? Topic { get; }

    public static SuppressionScope ForTenant(string tenant) =>
        IsValidName(tenant) ? new(ScopeKind.Tenant, tenant, null) : throw new FormatException($"'{tenant}' is not a valid tenant id.");

    public static SuppressionScope ForTopic(string tenant, string topic) =>
        IsValidName(tenant) && IsValidName(topic)
            ? new(ScopeKind.Topic, tenant, topic)
            : throw new FormatException($"'{tenant}/{topic}' is not a valid tenant/topic pair.");

    public static bool TryParse(string? text, out SuppressionScope scope)
    {
        scope = Global;
        if (string.IsNullOrEmpty(text) || text == "global")
        {
            return true;
        }

        if (text.StartsWith("tenant:", StringComparison.Ordinal) && IsValidName(text[7..]))
        {
            scope = new(ScopeKind.Tenant, text[7..], null);
            return true;
        }

        if (text.StartsWith("topic:", StringComparison.Ordinal))
        {
            var slash = text.IndexOf('/', 6);
            if (slash > 6 && IsValidName(text[6..slash]) && IsValidName(text[(slash + 1)..]))
            {
                scope = new(ScopeKind.Topic, text[6..slash], text[(slash + 1)..]);
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether mail sent by <paramref name="tenant"/> on <paramref name="topic"/> falls under this scope.</summary>
    public bool Covers(string? tenant, string? topic) => Kind switch
    {
        ScopeKind.Global => true,
        ScopeKind.Tenant => string.Equals(Tenant, tenant, StringComparison.Ordinal),
        _ => string.Equals(Tenant, tenant, StringComparison.Ordinal) && string.Equals(Topic, topic, StringComparison.Ordinal),
    };

    public override string ToString() => Kind switch
    {
        ScopeKind.Global => "global",
        ScopeKind.Tenant => "tenant:" + Tenant,
        _ => "topic:" + Tenant + "/" + Topic,
    };

    /// <summary>Whether <paramref name="name"/> can be a tenant id or a topic: 1-64 letters, digits, '-', '_' or '.'.</summary>
    /// <remarks>
    /// Tenant ids and topics end up in keys, URLs and CSV exports: a conservative alphabet keeps
    /// every one of those unambiguous.
    /// </remarks>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
