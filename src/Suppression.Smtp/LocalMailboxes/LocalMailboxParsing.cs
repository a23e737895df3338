using MimeKit;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.LocalMailboxes;

/// <summary>How the gateway's own mailboxes parse what strangers send them.</summary>
public static class LocalMailboxParsing
{
    /// <summary>
    /// A report nests a few levels (a wrapper, the multipart/report, the returned message and its
    /// alternatives); deeper parts are read as leaves, not recursed into (MimeKit's default is 1024).
    /// The number of parts and the size are bounded as the message arrives
    /// (<see cref="SmtpServerOptions.MaxLocalMailboxParts"/>, <see cref="SmtpServerOptions.MaxLocalMailboxBytes"/>).
    /// </summary>
    public static ParserOptions Options { get; } = new() { MaxMimeDepth = 16 };
}
