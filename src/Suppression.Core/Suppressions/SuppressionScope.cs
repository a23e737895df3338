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
    private const string GlobalText = "global";
    private const string TenantPrefix = "tenant:";
    private const string TopicPrefix = "topic:";

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

    /// <summary>The scope of one tenant's mail; false when <paramref name="tenant"/> is no valid name (or null).</summary>
    public static bool TryForTenant(string? tenant, out SuppressionScope scope)
    {
        var valid = tenant is not null && IsValidName(tenant);
        scope = valid ? new(ScopeKind.Tenant, tenant, null) : Global;
        return valid;
    }

    /// <summary>The scope of one tenant's list; false when either name is no valid name (or null).</summary>
    public static bool TryForTopic(string? tenant, string? topic, out SuppressionScope scope)
    {
        var valid = tenant is not null && topic is not null && IsValidName(tenant) && IsValidName(topic);
        scope = valid ? new(ScopeKind.Topic, tenant, topic) : Global;
        return valid;
    }

    /// <summary>Reads <c>global</c>, <c>tenant:&lt;id&gt;</c> or <c>topic:&lt;tenant&gt;/&lt;topic&gt;</c>; null or empty is global.</summary>
    public static bool TryParse(string? text, out SuppressionScope scope)
    {
        scope = Global;
        if (string.IsNullOrEmpty(text) || text == GlobalText)
        {
            return true;
        }

        if (text.StartsWith(TenantPrefix, StringComparison.Ordinal))
        {
            return TryForTenant(text[TenantPrefix.Length..], out scope);
        }

        if (text.StartsWith(TopicPrefix, StringComparison.Ordinal))
        {
            var slash = text.IndexOf('/', TopicPrefix.Length);
            return slash > TopicPrefix.Length && TryForTopic(text[TopicPrefix.Length..slash], text[(slash + 1)..], out scope);
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
        ScopeKind.Global => GlobalText,
        ScopeKind.Tenant => TenantPrefix + Tenant,
        _ => TopicPrefix + Tenant + "/" + Topic,
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
