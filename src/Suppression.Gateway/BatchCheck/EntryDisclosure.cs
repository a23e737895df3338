using Suppression.Suppressions;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// What the caller may see of the entry that decides a "suppressed" answer: the one place a role's
/// view of other parties' entries is decided (<see cref="CheckCaller"/> picks it per request).
/// </summary>
public delegate DisclosedEntry EntryDisclosure(SuppressionEntry entry);
