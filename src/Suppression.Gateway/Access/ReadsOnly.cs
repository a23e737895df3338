namespace Suppression.Gateway.Access;

/// <summary>
/// Endpoint metadata: a POST that changes nothing (it only carries a body too large for a query),
/// so the roles that may read may call it.
/// </summary>
public sealed class ReadsOnly
{
    public static ReadsOnly Instance { get; } = new();
}
