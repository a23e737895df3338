using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

/// <summary>One entry as stored: the entry and, for an imported one, the import batch it came from.</summary>
public readonly record struct StoredEntry(SuppressionEntry Entry, string? Batch);
