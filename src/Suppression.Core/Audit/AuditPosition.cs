using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Suppression.Audit;

/// <summary>Where one audit record is: its chain and its sequence in it (the <see cref="AuditEntry.Cursor"/> of that record).</summary>
public sealed record AuditPosition(string Chain, long Sequence)
{
    public override string ToString() => Chain + "/" + Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads what <see cref="ToString"/> wrote: a chain name without '/', then '/', then a positive sequence.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AuditPosition? position)
    {
        position = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 1 || !long.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            return false;
        }

        position = new AuditPosition(text![..slash], sequence);
        return true;
    }
}
