namespace Suppression.Suppressions;

/// <summary>
/// The scopes whose entries apply to one message: <c>global</c> always and, for each tenant it is
/// sent for, <c>tenant:&lt;id&gt;</c> and, when it has a topic, <c>topic:&lt;id&gt;/&lt;topic&gt;</c>.
/// A message is sent for one tenant, or none; relay mail that names no tenant while tenants are
/// configured could be any of theirs, so it answers to all of them (README, tenants).
/// </summary>
public sealed class ApplicableScopes
{
    private readonly IReadOnlySet<string> _tenants;

    private ApplicableScopes(IReadOnlySet<string> tenants, string? topic)
    {
        _tenants = tenants;
        Topic = topic;
    }

    public static ApplicableScopes GlobalOnly { get; } = new(new HashSet<string>(), null);

    public string? Topic { get; }

    public static ApplicableScopes For(string? tenant, string? topic) =>
        tenant is null ? GlobalOnly : new(new HashSet<string>(StringComparer.Ordinal) { tenant }, topic);

    /// <param name="tenants">Compared ordinally, as tenant ids are everywhere.</param>
    public static ApplicableScopes ForAnyOf(IReadOnlySet<string> tenants, string? topic)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        return tenants.Count == 0 ? GlobalOnly : new(tenants, topic);
    }

    public bool Covers(SuppressionScope scope) => scope.Kind switch
    {
        ScopeKind.Global => true,
        ScopeKind.Tenant => _tenants.Contains(scope.Tenant!),
        _ => _tenants.Contains(scope.Tenant!) && string.Equals(scope.Topic, Topic, StringComparison.Ordinal),
    };
}
