using Suppression.Gateway.Access;
using Suppression.Suppressions;

namespace Suppression.Gateway.BatchCheck;

public static class EntryDisclosures
{
    /// <summary>Scope, reason, source and time: for keys that may read the whole list (admin, compliance).</summary>
    public static EntryDisclosure Everything { get; } = entry =>
        new DisclosedEntry(entry.Scope.ToString(), entry.Reason.Name(), entry.Source.Name(), entry.CreatedAt);

    /// <summary>Everything of an entry the view may see (a tenant key: global entries and its own tenant's), else the verdict alone.</summary>
    public static EntryDisclosure As(TenantView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return entry => view.MaySee(entry.Scope) ? Everything(entry) : DisclosedEntry.Nothing;
    }

    /// <summary>The verdict alone: what any caller whose view is not decided yet gets, so nothing leaks by default.</summary>
    public static EntryDisclosure VerdictOnly { get; } = _ => DisclosedEntry.Nothing;
}
