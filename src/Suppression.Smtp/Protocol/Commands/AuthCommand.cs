using System.Text;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>
/// AUTH mechanism [initial-response] (RFC 4954) with PLAIN (RFC 4616) and LOGIN. A client that logs
/// in may relay from anywhere and sends for its tenant only.
/// </summary>
public sealed class AuthCommand(string mechanism, string? initialResponse) : SmtpCommand
{
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

        // A client locked out over every name hears so before it sends a password.
        if (session.LoginFailures.LockedUntil(session.ClientAddress, username: null) is { } clientLocked)
        {
            return TooManyFailures(clientLocked, session);
        }

        var credentials = mechanism == "PLAIN" ? await PlainAsync(session) : await LoginAsync(session);
        if (credentials.Reply is { } problem)
        {
            return problem;
        }

        // The lockout is tested inside the turn, right before the password: only the failures of
        // checks already in flight (fewer than MaxAuthChecksPerClient) can land after it.
        var (username, password) = credentials.Value;
        Tenant? tenant;
        using (await session.PasswordChecks.WaitAsync(session.ClientAddress, cancellationToken))
        {
            if (session.LoginFailures.LockedUntil(session.ClientAddress, username) is { } locked)
            {
                return TooManyFailures(locked, session);
            }

            tenant = session.Authenticator.Authenticate(username, password);
            if (tenant is null)
            {
                session.LogAuthFailure(username, session.LoginFailures.RecordFailure(session.ClientAddress, username));
                return new SmtpReply(535, "5.7.8", "Authentication credentials invalid");
            }

            session.LoginFailures.RecordSuccess(session.ClientAddress, username);
        }

        session.Authenticate(tenant, username);
        return new SmtpReply(235, "2.7.0", "Authentication successful");
    }

    // RFC 4954 6: 454 4.7.0 is a temporary authentication failure; the client may try again later.
    private static SmtpReply TooManyFailures(DateTimeOffset lockedUntil, SmtpSession session)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((lockedUntil - session.Time.GetUtcNow()).TotalSeconds));
        return new SmtpReply(454, "4.7.0", $"Too many failed authentication attempts from your address, try again in {seconds} seconds");
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
