namespace Suppression.Unsubscribe;

/// <summary>Where an unsubscribe request came from, for the audit record.</summary>
/// <param name="ClientAddress">The client's IP address as text, or null when unknown.</param>
/// <param name="UserAgent">The HTTP User-Agent, or null (mail has none).</param>
public sealed record RequestOrigin(string? ClientAddress, string? UserAgent);
