using System.Net;
using Suppression.Addresses;

namespace Suppression.Smtp.Policy;

/// <summary>What the policy knows about one recipient when the RCPT arrives.</summary>
/// <param name="Tenant">The tenant the session is bound to (by network or AUTH), or null when the message may still name one.</param>
public sealed record RecipientCheck(NormalizedAddress Recipient, IPAddress ClientAddress, string EnvelopeSender, string? Tenant = null);
