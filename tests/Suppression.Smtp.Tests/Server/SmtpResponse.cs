namespace Suppression.Smtp.Tests.Server;

/// <summary>One reply as the client read it: every line, without CRLF.</summary>
internal sealed class SmtpResponse(IReadOnlyList<string> lines)
{
    public IReadOnlyList<string> Lines { get; } = lines;

    public int Code => int.Parse(Lines[0][..3], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The final line: "NNN x.y.z text".</summary>
    public string Last => Lines[^1];

    public override string ToString() => string.Join(" | ", Lines);
}
