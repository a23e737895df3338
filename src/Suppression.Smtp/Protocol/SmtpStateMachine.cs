namespace Suppression.Smtp.Protocol;

/// <summary>
/// Which commands are legal in which state, and the state each leads to (RFC 5321 4.1.4 and 3.3):
/// the session moves there once the command took effect (<see cref="SmtpCommandResult"/>), and stays
/// put when it was refused. A command not in a state's row is answered 503 5.5.1.
/// STARTTLS is in the table only when a certificate is configured (RFC 3207 4: after EHLO,
/// outside a transaction, and the session starts over afterwards); AUTH only when some tenant has
/// SMTP users.
/// </summary>
internal sealed class SmtpStateMachine
{
    private readonly Dictionary<(SmtpState, SmtpVerb), SmtpState> _transitions = [];
    private readonly HashSet<SmtpVerb> _offered = [];

    public SmtpStateMachine(bool startTlsOffered, bool authOffered = false)
    {
        Allow(SmtpState.Connected, SmtpVerb.Ehlo, SmtpState.Ready);
        Allow(SmtpState.Connected, SmtpVerb.Helo, SmtpState.Ready);
        AllowEverywhereWithoutChange(SmtpState.Connected);
        Allow(SmtpState.Connected, SmtpVerb.Rset, SmtpState.Connected);

        Allow(SmtpState.Ready, SmtpVerb.Ehlo, SmtpState.Ready);
        Allow(SmtpState.Ready, SmtpVerb.Helo, SmtpState.Ready);
        Allow(SmtpState.Ready, SmtpVerb.Mail, SmtpState.MailGiven);
        Allow(SmtpState.Ready, SmtpVerb.Rset, SmtpState.Ready);
        AllowEverywhereWithoutChange(SmtpState.Ready);
        if (startTlsOffered)
        {
            Allow(SmtpState.Ready, SmtpVerb.StartTls, SmtpState.Connected);
        }

        // RFC 4954 4: AUTH after EHLO and outside a transaction.
        if (authOffered)
        {
            Allow(SmtpState.Ready, SmtpVerb.Auth, SmtpState.Ready);
        }

        foreach (var inTransaction in new[] { SmtpState.MailGiven, SmtpState.RecipientGiven })
        {
            // RFC 5321 4.1.4: EHLO/HELO in a transaction is an implied RSET.
            Allow(inTransaction, SmtpVerb.Ehlo, SmtpState.Ready);
            Allow(inTransaction, SmtpVerb.Helo, SmtpState.Ready);
            Allow(inTransaction, SmtpVerb.Rset, SmtpState.Ready);
            Allow(inTransaction, SmtpVerb.Rcpt, SmtpState.RecipientGiven);

            // DATA with no accepted recipient is refused by the command itself (554, RFC 5321 3.3),
            // which pipelining clients expect rather than 503.
            Allow(inTransaction, SmtpVerb.Data, SmtpState.Ready);
            AllowEverywhereWithoutChange(inTransaction);
        }
    }

    /// <summary>Whether the verb is legal in any state; one that is not (STARTTLS without a certificate) is "not implemented".</summary>
    public bool Offers(SmtpVerb verb) => _offered.Contains(verb);

    public bool TryGetNextState(SmtpState current, SmtpVerb verb, out SmtpState next) =>
        _transitions.TryGetValue((current, verb), out next);

    private void Allow(SmtpState from, SmtpVerb verb, SmtpState to)
    {
        _transitions[(from, verb)] = to;
        _offered.Add(verb);
    }

    private void AllowEverywhereWithoutChange(SmtpState state)
    {
        Allow(state, SmtpVerb.Noop, state);
        Allow(state, SmtpVerb.Vrfy, state);
        Allow(state, SmtpVerb.Help, state);
        Allow(state, SmtpVerb.Quit, state);
    }
}
