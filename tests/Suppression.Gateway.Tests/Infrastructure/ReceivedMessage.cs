using System.Text;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>One transaction as the upstream peer saw it: envelope and the exact (dot-unstuffed) bytes.</summary>
public sealed record ReceivedMessage(string Sender, IReadOnlyList<string> Recipients, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);

    /// <summary>Set when the sink kept only a digest of the body (<see cref="TestSmtpSink.DigestOnly"/>).</summary>
    public long BodyLength { get; init; }

    /// <summary>The MAIL FROM parameters as the upstream received them (e.g. "BODY=8BITMIME SMTPUTF8"), empty for none.</summary>
    public string MailParameters { get; init; } = string.Empty;

    /// <summary>SHA-256 of the body, as lowercase hex, when the sink kept only a digest of it.</summary>
    public string? BodySha256 { get; init; }
}
