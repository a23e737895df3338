using System.Text;

namespace Suppression.Cli.Gateway;

/// <summary>Builds <c>?name=value&amp;...</c> in the order given, skipping absent values and escaping each part.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _query = new();

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            _query.Append(_query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    /// <summary>One <c>name=value</c> per value, as ASP.NET Core binds a repeated parameter to an array.</summary>
    public QueryString AddEach(string name, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            Add(name, value);
        }

        return this;
    }

    public override string ToString() => _query.ToString();
}
