using System.Net;

namespace Suppression.Smtp.Server;

/// <summary>What the message pipeline needs to know about the session a message came in on.</summary>
public sealed record SessionInfo(IPAddress ClientAddress, string ClientDomain, string Hostname, bool Extended, bool Secure);
