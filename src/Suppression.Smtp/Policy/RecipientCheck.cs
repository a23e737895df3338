using System.Net;
using Suppression.Addresses;

namespace Suppression.Smtp.Policy;

/// <summary>What the policy knows about one recipient when the RCPT arrives.</summary>
public sealed record RecipientCheck(NormalizedAddress Recipient, IPAddress ClientAddress, string EnvelopeSender);
