using System.Buffers;
using MimeKit;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Tests.Feedback.Corpus;

/// <summary>
/// What the gateway makes of one sample mailed to its feedback address: whether the DATA block is
/// accepted (the same reader and limits as a session's for a local mailbox), and the report
/// FeedbackHandler would act on. Everything FeedbackHandler does before it touches a store.
/// </summary>
public sealed record CorpusReading(DataBlockOutcome Transfer, FeedbackReport? Report)
{
    public static CorpusReading Of(byte[] sample)
    {
        var server = new SmtpServerOptions();
        var reader = new DataBlockReader(
            Math.Min(server.MaxMessageBytes, server.MaxLocalMailboxBytes),
            new MessageShapeLimits(server.MaxHeaderBytes, server.MaxHeaderFieldBytes, server.MaxLocalMailboxParts),
            liberal: true);
        using var spool = new MessageSpool(int.MaxValue);
        var buffer = new ReadOnlySequence<byte>(AsTransmitted(sample));
        // AsTransmitted always ends the block with its terminator, so the reader always has an outcome.
        var outcome = reader.Consume(ref buffer, spool) ?? throw new InvalidOperationException("The DATA reader wanted more bytes after the terminator.");
        if (outcome != DataBlockOutcome.Complete)
        {
            return new CorpusReading(outcome, null);
        }

        FeedbackReport report;
        try
        {
            report = FeedbackReportParser.Parse(MimeMessage.Load(LocalMailboxParsing.Options, spool.OpenRead()), new FeedbackOptions().MaxReportRecipients);
        }
        catch (FormatException exception)
        {
            // What FeedbackHandler does with a message MimeKit cannot read.
            report = new FeedbackReport { Kind = FeedbackKind.Malformed, Reason = "not an Internet message: " + exception.Message };
        }

        return new CorpusReading(outcome, report);
    }

    // The samples are stored as their publisher kept them, most with LF line ends. A sending MTA
    // transmits each line with CRLF (RFC 5321 2.3.8) and dot-stuffs it (4.5.2); a lone CR inside a
    // line is sent as it is, and so is a line over 1000 octets.
    private static byte[] AsTransmitted(byte[] sample)
    {
        using var wire = new MemoryStream(sample.Length + sample.Length / 20 + 8);
        var lineStart = true;
        for (var i = 0; i < sample.Length; i++)
        {
            var octet = sample[i];
            if (lineStart && octet == (byte)'.')
            {
                wire.WriteByte((byte)'.');
            }

            if (octet == (byte)'\n')
            {
                if (i == 0 || sample[i - 1] != (byte)'\r')
                {
                    wire.WriteByte((byte)'\r');
                }

                wire.WriteByte(octet);
                lineStart = true;
                continue;
            }

            wire.WriteByte(octet);
            lineStart = false;
        }

        if (!lineStart)
        {
            wire.Write("\r\n"u8);
        }

        wire.Write(".\r\n"u8);
        return wire.ToArray();
    }
}
