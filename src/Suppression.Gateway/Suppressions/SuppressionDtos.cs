namespace Suppression.Gateway.Suppressions;

public sealed record AddSuppressionRequest(string? Address, string? Scope, string? Reason, string? Note);

/// <param name="Address">Only for DELETE /api/v1/suppressions (no address in the path).</param>
public sealed record RemoveSuppressionRequest(string? Evidence, string? Address = null);

public sealed record SuppressionEntryResponse(string Scope, string Reason, string Source, DateTimeOffset CreatedAt);

public sealed record SuppressionResponse(string Address, IReadOnlyList<SuppressionEntryResponse> Entries);

public sealed record RemovalResponse(string Address, int Removed);
