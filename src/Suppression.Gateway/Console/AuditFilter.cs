using Microsoft.Extensions.Primitives;
using Suppression.Audit;
using Suppression.Gateway.Audit;

namespace Suppression.Gateway.Console;

/// <summary>
/// The audit page's filter as the reader typed it (record types, from and to dates), parsed exactly
/// as the API parses its query string, and written back into links: the next page and the downloads.
/// Never an address: addresses stay out of URLs.
/// </summary>
public sealed record AuditFilter(IReadOnlyList<string> Types, string? From, string? To, string? After)
{
    public static AuditFilter Parse(string[]? types, string? from, string? to, string? after) => new(
        [.. (types ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)],
        string.IsNullOrWhiteSpace(from) ? null : from.Trim(),
        string.IsNullOrWhiteSpace(to) ? null : to.Trim(),
        string.IsNullOrWhiteSpace(after) ? null : after.Trim());

    /// <summary>The query the audit trail runs, or null with the field and the reason it is unusable.</summary>
    public AuditQuery? ToQuery(out string? field, out string? error) =>
        AuditApi.ParseQuery(address: null, [.. Types], From, To, After, out field, out error);

    public bool Includes(string type) => Types.Contains(type, StringComparer.Ordinal);

    /// <summary>The query string for the same filter, resuming after <paramref name="after"/> or downloading as <paramref name="format"/>.</summary>
    public string QueryString(string? after = null, string? format = null)
    {
        var parameters = new List<KeyValuePair<string, StringValues>>();
        if (format is not null)
        {
            parameters.Add(new("format", format));
        }

        parameters.AddRange(Types.Select(type => new KeyValuePair<string, StringValues>("type", type)));
        if (From is not null)
        {
            parameters.Add(new("from", From));
        }

        if (To is not null)
        {
            parameters.Add(new("to", To));
        }

        if (after is not null)
        {
            parameters.Add(new("after", after));
        }

        return Microsoft.AspNetCore.Http.QueryString.Create(parameters).ToUriComponent();
    }
}
