namespace Suppression.Gateway.Access;

/// <summary><c>Suppression:Compliance</c>: keys for compliance officers, who may read but never change.</summary>
public sealed class ComplianceOptions
{
    /// <summary>Bearer keys with the compliance role (read, search, export, verify), clear text or <c>sha256:&lt;hex&gt;</c>.</summary>
    public string[]? ApiKeys { get; set; }
}
