using System.Globalization;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>MAIL FROM:&lt;reverse-path&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8] (RFC 5321 4.1.1.2, RFC 1870, RFC 6152, RFC 6531).</summary>
internal sealed class MailCommand : SmtpCommand
{
    private MailCommand(MailboxPath sender, long? declaredSize, bool eightBitMime, bool smtpUtf8)
    {
        Sender = sender;
        DeclaredSize = declaredSize;
        EightBitMime = eightBitMime;
        SmtpUtf8 = smtpUtf8;
    }

    public override SmtpVerb Verb => SmtpVerb.Mail;

    public MailboxPath Sender { get; }

    public long? DeclaredSize { get; }

    public bool EightBitMime { get; }

    public bool SmtpUtf8 { get; }

    public static SmtpParseResult Parse(string argument)
    {
        if (!PathArgument.TrySplit(argument, "FROM:", out var pathText, out var parameters))
        {
            return new(SmtpReplies.MailSyntax);
        }

        if (!MailboxPath.TryParse(pathText, allowNull: true, out var sender, out var error))
        {
            return new(SmtpReplies.InvalidSender(error));
        }

        long? size = null;
        bool eightBit = false, smtpUtf8 = false;
        foreach (var (keyword, value) in parameters)
        {
            switch (keyword.ToUpperInvariant())
            {
                case "SIZE" when value is not null && value.Length <= 20 && value.All(char.IsAsciiDigit)
                    && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var declared):
                    size = declared;
                    break;
                case "BODY" when value is not null && value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase):
                    eightBit = true;
                    break;
                case "BODY" when value is not null && value.Equals("7BIT", StringComparison.OrdinalIgnoreCase):
                    break;
                case "SMTPUTF8" when value is null:
                    smtpUtf8 = true;
                    break;
                case "AUTH" when value is not null:
                    // RFC 4954 5: the submitter's identity for relays that trust it; this gateway
                    // trusts only its own AUTH, so the parameter is accepted and ignored.
                    break;
                default:
                    return new(PathArgument.UnrecognizedParameter("MAIL", keyword));
            }
        }

        return new(new MailCommand(sender, size, eightBit, smtpUtf8));
    }

    public override ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken)
    {
        if (DeclaredSize > context.Options.MaxMessageBytes)
        {
            return ValueTask.FromResult(SmtpCommandResult.Refused(SmtpReplies.MessageTooLarge));
        }

        if ((SmtpUtf8 || EightBitMime) && !context.IsExtended)
        {
            return ValueTask.FromResult(SmtpCommandResult.Refused(SmtpReplies.ParametersNeedEhlo));
        }

        if (!SmtpUtf8 && !Sender.IsAscii)
        {
            // RFC 6531 3.5: a non-ASCII address without the SMTPUTF8 parameter is refused.
            return ValueTask.FromResult(SmtpCommandResult.Refused(SmtpReplies.NonAsciiSender));
        }

        context.BeginTransaction(Sender, SmtpUtf8, EightBitMime);
        return ValueTask.FromResult(SmtpCommandResult.Done(SmtpReplies.SenderOk));
    }
}
