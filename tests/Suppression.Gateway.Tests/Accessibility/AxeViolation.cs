namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>One axe-core rule a page breaks: which rule, how badly, where (CSS selectors) and where to read how to fix it.</summary>
public sealed record AxeViolation(string RuleId, string Impact, string Help, string HelpUrl, IReadOnlyList<string> Targets)
{
    public override string ToString() => $"{RuleId} ({Impact}): {Help} at {string.Join(", ", Targets)} (see {HelpUrl})";
}
