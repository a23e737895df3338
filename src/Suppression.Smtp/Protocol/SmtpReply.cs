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

    public static SmtpReply Ok(string text = "OK") => new(250, "2.0.0", text);

    public static SmtpReply CommandUnrecognized { get; } = new(500, "5.5.2", "Syntax error, command unrecognized");

    public static SmtpReply LineTooLong { get; } = new(500, "5.5.2", "Line too long (RFC 5321 4.5.3.1.4: 512 octets at most)");

    public static SmtpReply CommandNotImplemented { get; } = new(502, "5.5.1", "Command not implemented");

    public static SmtpReply BadSequence { get; } = new(503, "5.5.1", "Bad sequence of commands");

    public static SmtpReply SyntaxError(string text) => new(501, "5.5.4", text);

    public static SmtpReply TooManyErrors(string hostname) => new(421, "4.7.0", hostname + " Too many errors, closing connection");

    public static SmtpReply TooManyJunkCommands(string hostname) => new(421, "4.7.0", hostname + " Too many commands without mail, closing connection");

    public static SmtpReply Timeout(string hostname) => new(421, "4.4.2", hostname + " Timeout waiting for client input, closing connection");

    public static SmtpReply ShuttingDown(string hostname) => new(421, "4.3.2", hostname + " Service shutting down, closing connection");

    public static SmtpReply LocalError(string hostname) => new(421, "4.3.0", hostname + " Local error, closing connection");

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
