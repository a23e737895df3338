namespace Suppression.Gateway.BatchCheck;

/// <param name="Address">The address as the request gave it; null when its line held none.</param>
/// <param name="Entry">What the caller may see of the deciding entry, for a suppressed address.</param>
/// <param name="Error">Why the address is invalid.</param>
public readonly record struct CheckAnswer(string? Address, CheckVerdict Verdict, DisclosedEntry? Entry = null, string? Error = null);
