namespace Suppression.Gateway.BatchCheck;

/// <summary>The JSON form of a batch check; the context members may instead be given as query parameters.</summary>
public sealed record BatchCheckRequest(string? Tenant, string? Topic, string? Class, IReadOnlyList<string?>? Addresses);
