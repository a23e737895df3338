namespace Suppression.Smtp.Protocol;

/// <summary>
/// A command's reply, and whether the command took effect: only then does the session move to the
/// state the table names for it. DATA takes effect once the message was received, whatever the
/// final reply says of it, because the end of the data ends the transaction (RFC 5321 4.1.1.4).
/// </summary>
internal readonly record struct SmtpCommandResult(SmtpReply Reply, bool TookEffect)
{
    public static SmtpCommandResult Done(SmtpReply reply) => new(reply, TookEffect: true);

    public static SmtpCommandResult Refused(SmtpReply reply) => new(reply, TookEffect: false);
}
