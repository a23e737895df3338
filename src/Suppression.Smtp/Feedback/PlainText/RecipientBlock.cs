namespace Suppression.Smtp.Feedback.PlainText;

/// <summary>
/// One failed recipient of a plain-text bounce and the lines that say why, as MTAs write them:
/// the address line, then the lines under it (qmail, Exim, Postfix, Gmail), and the SMTP transcript
/// just above it (Sendmail's "&gt;&gt;&gt; RCPT To:" and "&lt;&lt;&lt; 550 ...").
/// </summary>
internal sealed class RecipientBlock(string address, int indent)
{
    // One recipient's reason is a few lines; more is boilerplate or a returned message.
    private const int MaxLines = 30;
    private const int MaxChars = 4000;

    private readonly List<string> _lines = [];
    private int _chars;

    public string Address { get; } = address;

    public int Indent { get; } = indent;

    public int Paragraphs { get; set; }

    // The lines of the same paragraph above the address line, where Notes writes the reason.
    public string Above { get; init; } = string.Empty;

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string line)
    {
        var text = line.Trim();
        if (text.Length > 0 && _lines.Count < MaxLines && _chars + text.Length <= MaxChars)
        {
            _lines.Add(text);
            _chars += text.Length;
        }
    }

    public string Text => string.Join(' ', _lines);

    public override string ToString() => $"{Address}: {Text}";
}
