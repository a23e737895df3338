using System.Net;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.Server;

/// <summary>What the message pipeline needs to know about the session a message came in on.</summary>
/// <param name="Tenant">The tenant the session is bound to, or null when the message may name one.</param>
/// <param name="Authenticated">Whether the client logged in with SMTP AUTH (a tenant's network binds a tenant without it).</param>
public sealed record SessionInfo(IPAddress ClientAddress, string ClientDomain, string Hostname, bool Extended, bool Secure, Tenant? Tenant = null, bool Authenticated = false);
