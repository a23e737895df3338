using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Suppression.Smtp.Tenants;

/// <summary>The configured tenants, by id and by client network.</summary>
public sealed class TenantDirectory
{
    private readonly Dictionary<string, Tenant> _byId;
    private readonly List<Tenant> _tenants;

    public TenantDirectory(IEnumerable<TenantOptions> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        _tenants = tenants.Select(options => new Tenant(options)).ToList();
        _byId = _tenants.ToDictionary(tenant => tenant.Id, StringComparer.Ordinal);
        Ids = _byId.Keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every configured tenant's id: whose opt-outs relay mail that names no tenant answers to.</summary>
    public IReadOnlySet<string> Ids { get; }

    public static TenantDirectory None { get; } = new([]);

    public bool TryGet(string id, [NotNullWhen(true)] out Tenant? tenant) => _byId.TryGetValue(id, out tenant);

    /// <summary>The tenant whose networks hold this client, the first configured when several do.</summary>
    public Tenant? ForClient(IPAddress client) => _tenants.FirstOrDefault(tenant => tenant.IsInNetworks(client));
}
