namespace Suppression.Smtp.Logins;

/// <summary>What the gateway remembers of one client's failed logins, as an operator sees it (never a password).</summary>
/// <param name="Client">The client's IPv4 address or IPv6 /64.</param>
/// <param name="Username">The name the failures were for; null for the count over every name from that client.</param>
/// <param name="LockedUntil">Until when AUTH is refused (454); null when it is not.</param>
public sealed record LoginLockout(string Client, string? Username, int Failures, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil);
