namespace Suppression.Testing.Dkim;

/// <summary>What python3-dkim answered, which key names it looked up, and its debug log.</summary>
public sealed record DkimVerification(bool Verified, IReadOnlyList<string> QueriedNames, string Log);
