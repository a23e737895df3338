namespace Suppression.Gateway.Access;

public sealed class AdminOptions
{
    /// <summary>Bearer keys for /api/v1, clear text or <c>sha256:&lt;hex&gt;</c>.</summary>
    public string[]? ApiKeys { get; set; }
}
