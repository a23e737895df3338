namespace Suppression.Smtp.Protocol;

/// <summary>
/// The replies the listener, the session, the parser and the commands send. Worded elsewhere: the
/// EHLO capability list (EhloCommand builds it), parse errors that quote the client's parameter or
/// address (PathArgument, MailboxPath), and verdicts from further in (the message pipeline, a local
/// mailbox). Clients and tests read these bytes: change one only on purpose.
/// </summary>
internal static class SmtpReplies
{
    // The connection: RFC 5321 3.1 and 3.8, a 421 closes it (SmtpReply.ClosesConnection).
    public static SmtpReply Greeting(string hostname) => new(220, null, hostname + " ESMTP Suppression Gateway ready");

    public static SmtpReply TooManyConnections(string hostname) => new(421, "4.7.0", hostname + " Too many connections, try again later");

    public static SmtpReply TooManyConnectionsFromClient(string hostname) => new(421, "4.7.0", hostname + " Too many connections from your address, try again later");

    public static SmtpReply TooManyErrors(string hostname) => new(421, "4.7.0", hostname + " Too many errors, closing connection");

    public static SmtpReply TooManyJunkCommands(string hostname) => new(421, "4.7.0", hostname + " Too many commands without mail, closing connection");

    public static SmtpReply Timeout(string hostname) => new(421, "4.4.2", hostname + " Timeout waiting for client input, closing connection");

    public static SmtpReply ShuttingDown(string hostname) => new(421, "4.3.2", hostname + " Service shutting down, closing connection");

    public static SmtpReply LocalError(string hostname) => new(421, "4.3.0", hostname + " Local error, closing connection");

    public static SmtpReply Closing(string hostname) => new(221, "2.0.0", hostname + " closing connection");

    // The command line and the state table.
    public static SmtpReply CommandUnrecognized { get; } = new(500, "5.5.2", "Syntax error, command unrecognized");

    public static SmtpReply LineTooLong { get; } = new(500, "5.5.2", "Line too long (RFC 5321 4.5.3.1.4: 512 octets at most)");

    public static SmtpReply NulInCommand { get; } = new(500, "5.5.2", "Syntax error, NUL character in command");

    public static SmtpReply CommandNotUtf8 { get; } = new(500, "5.5.2", "Syntax error, command is not valid UTF-8");

    public static SmtpReply CommandNotImplemented { get; } = new(502, "5.5.1", "Command not implemented");

    public static SmtpReply BadSequence { get; } = new(503, "5.5.1", "Bad sequence of commands");

    public static SmtpReply SyntaxError(string text) => new(501, "5.5.4", text);

    public static SmtpReply GreetingNeedsDomain { get; } = SyntaxError("EHLO/HELO needs the client's domain or address literal");

    public static SmtpReply NoArgumentExpected { get; } = SyntaxError("This command takes no argument");

    public static SmtpReply VrfyNeedsArgument { get; } = SyntaxError("VRFY needs an argument");

    // Commands that change nothing, or only the greeting.
    public static SmtpReply Ok { get; } = new(250, "2.0.0", "OK");

    // RFC 2034 3: no enhanced status code on the EHLO/HELO reply.
    public static SmtpReply HeloGreeting(string hostname) => new(250, null, hostname);

    public static SmtpReply Help(bool startTlsOffered) => new(
        214,
        "2.0.0",
        "Suppression Gateway: an SMTP relay that honours opt-outs",
        "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP" + (startTlsOffered ? " STARTTLS" : string.Empty),
        "End of HELP");

    public static SmtpReply CannotVerify { get; } = new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");

    // STARTTLS (RFC 3207 4).
    public static SmtpReply ReadyToStartTls { get; } = new(220, "2.0.0", "Ready to start TLS");

    public static SmtpReply TlsAlreadyActive { get; } = new(503, "5.5.1", "TLS already active");

    // AUTH (RFC 4954 4 and 6).
    public static SmtpReply AuthChallenge(string base64Challenge) => new(334, null, base64Challenge);

    public static SmtpReply AuthSyntax { get; } = SyntaxError("Syntax: AUTH mechanism [initial-response]");

    public static SmtpReply AlreadyAuthenticated { get; } = new(503, "5.5.1", "Already authenticated");

    public static SmtpReply AuthNeedsTls { get; } = new(538, "5.7.11", "Encryption required for requested authentication mechanism: use STARTTLS first");

    public static SmtpReply AuthMechanismUnrecognized { get; } = new(504, "5.5.4", "Unrecognized authentication type; use PLAIN or LOGIN");

    public static SmtpReply AuthLockedOut(int seconds) =>
        new(454, "4.7.0", $"Too many failed authentication attempts from your address, try again in {seconds} seconds");

    public static SmtpReply AuthPlainMalformed { get; } = new(501, "5.5.2", "PLAIN response must be [authzid] NUL user NUL password");

    public static SmtpReply AuthCancelled { get; } = new(501, "5.7.0", "Authentication cancelled");

    public static SmtpReply AuthNotBase64 { get; } = new(501, "5.5.2", "Cannot decode the response (base64 expected)");

    public static SmtpReply AuthFailed { get; } = new(535, "5.7.8", "Authentication credentials invalid");

    public static SmtpReply AuthSucceeded { get; } = new(235, "2.7.0", "Authentication successful");

    // MAIL (RFC 5321 4.1.1.2, RFC 1870, RFC 6531 3.5).
    public static SmtpReply MailSyntax { get; } = SyntaxError("Syntax: MAIL FROM:<address> [parameters]");

    public static SmtpReply InvalidSender(string error) => new(501, "5.1.7", error);

    public static SmtpReply ParametersNeedEhlo { get; } = new(555, "5.5.4", "Parameters need EHLO, not HELO");

    public static SmtpReply NonAsciiSender { get; } = new(553, "5.6.7", "Non-ASCII sender address needs the SMTPUTF8 parameter");

    public static SmtpReply SenderOk { get; } = new(250, "2.1.0", "Sender OK");

    // RCPT (RFC 5321 4.1.1.3; 452 asks for the rest in another transaction, 4.5.3.1.10).
    public static SmtpReply RcptSyntax { get; } = SyntaxError("Syntax: RCPT TO:<address>");

    public static SmtpReply InvalidRecipient(string error) => new(501, "5.1.3", error);

    public static SmtpReply TooManyRecipients { get; } = new(452, "4.5.3", "Too many recipients");

    public static SmtpReply NonAsciiRecipient { get; } = new(553, "5.6.7", "Non-ASCII recipient address needs the SMTPUTF8 parameter");

    public static SmtpReply NoSuchLocalMailbox { get; } = new(550, "5.1.1", "No such mailbox here");

    public static SmtpReply LocalMailboxNeedsOwnTransaction { get; } = new(452, "4.5.3", "Send mail to this address in a transaction of its own");

    public static SmtpReply OthersNeedOwnTransaction { get; } =
        new(452, "4.5.3", "Send other recipients in a transaction of their own, not with the gateway's own address");

    public static SmtpReply RelayDenied { get; } = new(554, "5.7.1", "Relay access denied");

    public static SmtpReply RoutedAddress(string explanation) => new(553, "5.1.3", explanation);

    public static SmtpReply RecipientOk { get; } = new(250, "2.1.5", "Recipient OK");

    public static SmtpReply RecipientOptedOut { get; } = new(550, "5.7.1", "Recipient has opted out of this mail");

    public static SmtpReply SuppressionListUnavailable { get; } = new(451, "4.3.0", "Suppression list temporarily unavailable, try again later");

    // DATA (RFC 5321 4.1.1.4 and 3.3) and the message block.
    public static SmtpReply NoValidRecipients { get; } = new(554, "5.5.1", "No valid recipients");

    public static SmtpReply StartMailInput { get; } = new(354, null, "End data with <CR><LF>.<CR><LF>");

    public static SmtpReply CannotBufferMessage { get; } = new(451, "4.3.1", "Temporary local problem: cannot buffer the message, try again later");

    public static SmtpReply MessageTooLarge { get; } = new(552, "5.3.4", "Message size exceeds fixed maximum message size");

    public static SmtpReply LocalMessageTooLarge(long maxBytes) => new(552, "5.3.4", $"Message size exceeds the {maxBytes} octets taken for this address");

    public static SmtpReply HeaderTooLarge(int maxBytes) => new(552, "5.3.4", $"Message header exceeds the fixed maximum of {maxBytes} octets");

    public static SmtpReply HeaderFieldTooLarge(int maxBytes) => new(552, "5.3.4", $"Message has a header field longer than {maxBytes} octets");

    public static SmtpReply TooManyParts(int maxParts) =>
        new(554, "5.6.0", $"Message has more than {maxParts} MIME boundaries; mail to this address may have fewer");

    public static SmtpReply MessageLineTooLong { get; } = new(554, "5.6.0", "Message has a line longer than 1000 octets (RFC 5321 4.5.3.1.6)");

    public static SmtpReply BareCarriageReturn { get; } = new(554, "5.6.0", "Message has a bare CR; CR is allowed only in the CRLF line end (RFC 5321 2.3.8)");

    public static SmtpReply BareLineFeed { get; } = new(554, "5.6.0", "Message has a bare LF; lines must end with CRLF (RFC 5321 2.3.8)");
}
