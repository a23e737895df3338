using Suppression.Addresses;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Whom a report may affect, when the address it came to says so (a signed return path): only the
/// recipients it <see cref="Covers"/>, whatever else the report's body names.
/// </summary>
/// <param name="Tenant">The tenant the tagged copy was sent for, when the tag's digest maps back to a configured one.</param>
public sealed record ReportAuthority(Func<NormalizedAddress, bool> Covers, string? Tenant, string Description);
