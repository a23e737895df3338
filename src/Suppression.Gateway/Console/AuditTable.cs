using System.Globalization;
using System.Text;
using Suppression.Audit;

namespace Suppression.Gateway.Console;

/// <summary>
/// Audit records as a table, one row per record in the order given. Each cell carries its column's
/// name, so on a phone the rows become labelled cards (see <see cref="ConsoleStyle"/>).
/// </summary>
public static class AuditTable
{
    private static readonly string[] Columns =
        ["Time", "Type", "Address", "Scope", "Reason", "Source", "Changed", "Actor", "Message-ID", "Client IP", "Sender", "Evidence", "Record"];

    public static string Render(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var html = new StringBuilder(8192);
        html.Append("<div class=\"table\"><table class=\"records\">\n<thead><tr>");
        foreach (var column in Columns)
        {
            html.Append("<th scope=\"col\">").Append(column).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var entry in entries)
        {
            html.Append("<tr>");
            Cell(html, "Time", Html.Time(entry.Time));
            Cell(html, "Type", Html.Encode(entry.Type.Name()));
            IdentifierCell(html, "Address", Address(entry));
            Cell(html, "Scope", Html.Encode(entry.Scope));
            Cell(html, "Reason", Html.Encode(entry.Reason));
            Cell(html, "Source", Html.Encode(entry.Source));
            Cell(html, "Changed", entry.Changed ? "yes" : "no");
            IdentifierCell(html, "Actor", Html.Encode(entry.Actor));
            IdentifierCell(html, "Message-ID", Html.Encode(entry.MessageId));
            Cell(html, "Client IP", Html.Encode(entry.ClientAddress));
            IdentifierCell(html, "Sender", Html.Encode(entry.Sender));
            IdentifierCell(html, "Evidence", Html.Encode(Evidence(entry)));

            // Chain and sequence, as verification names a broken record.
            IdentifierCell(html, "Record", Html.Encode(entry.Cursor));
            html.Append("</tr>\n");
        }

        return html.Append("</tbody>\n</table></div>\n").ToString();
    }

    // An erased record keeps the address's keyed hash but not the address; an import batch has neither.
    private static string Address(AuditEntry entry) =>
        entry.Address is { } address ? Html.Encode(address)
        : entry.AddressHash is not null ? "<span class=\"erased\">(erased)</span>"
        : string.Empty;

    private static string? Evidence(AuditEntry entry) => entry.Import is { } import
        ? string.Create(CultureInfo.InvariantCulture,
            $"{import.Format} file sha256 {import.FileSha256}: {import.Rows} rows, {import.Imported} imported, {import.Unchanged} unchanged, {import.Rejected} rejected")
        : entry.Evidence;

    private static void Cell(StringBuilder html, string label, string content) =>
        html.Append("<td data-label=\"").Append(label).Append("\">").Append(content).Append("</td>");

    // Addresses, Message-IDs and the like are long unbroken strings: they may wrap anywhere, so the table fits its page.
    private static void IdentifierCell(StringBuilder html, string label, string content) =>
        html.Append("<td class=\"identifier\" data-label=\"").Append(label).Append("\">").Append(content).Append("</td>");
}
