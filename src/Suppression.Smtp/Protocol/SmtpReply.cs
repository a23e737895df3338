using System.Buffers;
using System.Text;

namespace Suppression.Smtp.Protocol;

/// <summary>
/// One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (RFC 2034 requires it on
/// every 2xx, 4xx and 5xx reply except the greeting and the EHLO/HELO answer) and one or more lines.
/// </summary>
public sealed class SmtpReply
{
    public SmtpReply(int code, string? enhancedCode, params string[] lines)
    {
        Code = code;
        EnhancedCode = enhancedCode;
        Lines = lines.Length == 0 ? [string.Empty] : lines;
    }

    public int Code { get; }

    public string? EnhancedCode { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>Set on replies after which the server closes the connection (221, 421).</summary>
    public bool ClosesConnection => Code is 221 or 421;

    public void WriteTo(IBufferWriter<byte> output)
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            var builder = new StringBuilder(64).Append(Code).Append(i == Lines.Count - 1 ? ' ' : '-');
            if (EnhancedCode is not null)
            {
                builder.Append(EnhancedCode).Append(' ');
            }

            builder.Append(Lines[i]).Append("\r\n");
            Encoding.UTF8.GetBytes(builder.ToString(), output);
        }
    }

    public override string ToString() =>
        string.Join(" / ", Lines.Select(line => EnhancedCode is null ? $"{Code} {line}" : $"{Code} {EnhancedCode} {line}"));
}
