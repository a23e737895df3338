using System.Net;
using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Delivery;

/// <summary>
/// A delivery the gateway refused or dropped because the recipient is suppressed or, when
/// <see cref="Overridden"/>, one it let through a marketing opt-out because the message is transactional.
/// </summary>
public sealed record BlockedDelivery(
    DateTimeOffset Time,
    IPAddress ClientAddress,
    string EnvelopeSender,
    NormalizedAddress Recipient,
    SuppressionReason Reason,
    SuppressionScope Scope,
    string? MessageId)
{
    /// <summary>The tenant the client relayed for, when it is known.</summary>
    public string? Tenant { get; init; }

    /// <summary>Where the suppression that blocked the delivery came from (one-click, dsn, api...).</summary>
    public SuppressionSource? Source { get; init; }

    /// <summary>The entry did not stop the copy: it would have stopped marketing, and the message was transactional.</summary>
    public bool Overridden { get; init; }
}
