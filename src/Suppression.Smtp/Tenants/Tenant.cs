using System.Net;
using Suppression.Smtp.Server;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tenants;

/// <summary>A configured tenant, ready to match clients against.</summary>
public sealed class Tenant
{
    private readonly RelayNetworks _networks;

    public Tenant(TenantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Id = options.Id;
        DefaultClass = options.DefaultClass;
        _networks = new RelayNetworks(options.Networks ?? []);
    }

    public string Id { get; }

    public MessageClass DefaultClass { get; }

    public bool IsInNetworks(IPAddress client) => _networks.Contains(client);
}
