using Suppression.Smtp.Protocol;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Delivery;

/// <summary>A recipient's copy that the upstream refused for good (5xx), with the upstream's reply.</summary>
internal sealed record RefusedCopy(MailboxPath Recipient, RelayResult Result);
