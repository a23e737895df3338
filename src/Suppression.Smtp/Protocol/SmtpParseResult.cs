namespace Suppression.Smtp.Protocol;

/// <summary>Either a command to run or the reply that refuses the line.</summary>
internal readonly struct SmtpParseResult
{
    public SmtpParseResult(SmtpCommand command)
    {
        Command = command;
        Error = null;
    }

    public SmtpParseResult(SmtpReply error)
    {
        Command = null;
        Error = error;
    }

    public SmtpCommand? Command { get; }

    public SmtpReply? Error { get; }
}
