using System.Text;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>
/// AUTH mechanism [initial-response] (RFC 4954) with PLAIN (RFC 4616) and LOGIN. A client that logs
/// in may relay from anywhere and sends for its tenant only.
/// </summary>
public sealed class AuthCommand(string mechanism, string? initialResponse) : SmtpCommand
{
    private static readonly SmtpReply TooManyFailures = new(454, "4.7.0", "Too many failed authentication attempts from your address, try again later");

    // LOGIN's challenges, "Username:" and "Password:" in base64 (draft-murchison-sasl-login).
    private const string UsernameChallenge = "VXNlcm5hbWU6";
    private const string PasswordChallenge = "UGFzc3dvcmQ6";

    public override SmtpVerb Verb => SmtpVerb.Auth;

    public string Mechanism => mechanism;

    public static SmtpParseResult Parse(string argument)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length is 1 or 2
            ? new(new AuthCommand(parts[0].ToUpperInvariant(), parts.Length == 2 ? parts[1] : null))
            : new(SmtpReply.SyntaxError("Syntax: AUTH mechanism [initial-response]"));
    }

    public override async ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        if (session.IsAuthenticated)
        {
            return new SmtpReply(503, "5.5.1", "Already authenticated");
        }

        if (!session.IsSecure && !session.Options.AllowPlaintextAuth)
        {
            return new SmtpReply(538, "5.7.11", "Encryption required for requested authentication mechanism: use STARTTLS first");
        }

        if (mechanism is not ("PLAIN" or "LOGIN"))
        {
            return new SmtpReply(504, "5.5.4", "Unrecognized authentication type; use PLAIN or LOGIN");
        }

        if (session.AuthFailures.IsBlocked(session.ClientAddress))
        {
            return TooManyFailures;
        }

        var credentials = mechanism == "PLAIN" ? await PlainAsync(session) : await LoginAsync(session);
        if (credentials.Reply is { } problem)
        {
            return problem;
        }

        // Checked again, and the attempt reserved, right before the password is: many connections
        // may have reached this point together.
        if (!session.AuthFailures.TryBeginAttempt(session.ClientAddress))
        {
            return TooManyFailures;
        }

        var (username, password) = credentials.Value;
        var tenant = session.Authenticator.Authenticate(username, password);
        session.AuthFailures.EndAttempt(session.ClientAddress, failed: tenant is null);
        if (tenant is null)
        {
            session.LogAuthFailure(username);
            return new SmtpReply(535, "5.7.8", "Authentication credentials invalid");
        }

        session.Authenticate(tenant, username);
        return new SmtpReply(235, "2.7.0", "Authentication successful");
    }

    // RFC 4616 2: [authzid] NUL authcid NUL passwd. An authzid other than the user is acting for
    // someone else, which this gateway does not allow.
    private async Task<Credentials> PlainAsync(SmtpSession session)
    {
        var response = initialResponse ?? await session.ChallengeAsync(string.Empty);
        if (Decode(response, session.Options.Hostname, out var text) is { } problem)
        {
            return new(problem);
        }

        var fields = text.Split('\0');
        if (fields.Length != 3 || (fields[0].Length > 0 && fields[0] != fields[1]))
        {
            return new(new SmtpReply(501, "5.5.2", "PLAIN response must be [authzid] NUL user NUL password"));
        }

        return new(fields[1], fields[2]);
    }

    private async Task<Credentials> LoginAsync(SmtpSession session)
    {
        if (Decode(initialResponse ?? await session.ChallengeAsync(UsernameChallenge), session.Options.Hostname, out var username) is { } problem)
        {
            return new(problem);
        }

        return Decode(await session.ChallengeAsync(PasswordChallenge), session.Options.Hostname, out var password) is { } passwordProblem
            ? new(passwordProblem)
            : new(username, password);
    }

    private static SmtpReply? Decode(string? response, string hostname, out string text)
    {
        text = string.Empty;
        switch (response)
        {
            case null:
                return SmtpReply.Timeout(hostname);
            case "*":
                return new SmtpReply(501, "5.7.0", "Authentication cancelled");
            case "=":
                // RFC 4954 4: "=" is an empty initial response.
                return null;
        }

        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(response));
            return null;
        }
        catch (FormatException)
        {
            return new SmtpReply(501, "5.5.2", "Cannot decode the response (base64 expected)");
        }
    }

    private readonly record struct Credentials(SmtpReply? Reply, (string Username, string Password) Value)
    {
        public Credentials(SmtpReply reply)
            : this(reply, default)
        {
        }

        public Credentials(string username, string password)
            : this(null, (username, password))
        {
        }
    }
}
