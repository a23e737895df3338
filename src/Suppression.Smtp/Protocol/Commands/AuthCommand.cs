using System.Text;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>
/// AUTH mechanism [initial-response] (RFC 4954) with PLAIN (RFC 4616) and LOGIN. A client that logs
/// in may relay from anywhere and sends for its tenant only.
/// </summary>
internal sealed class AuthCommand(string mechanism, string? initialResponse) : SmtpCommand
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
            : new(SmtpReplies.AuthSyntax);
    }

    public override async ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken)
    {
        // RFC 4954 6: 235 is the one reply that means the client is logged in.
        var reply = await AuthenticateAsync(context, cancellationToken);
        return reply.Code == 235 ? SmtpCommandResult.Done(reply) : SmtpCommandResult.Refused(reply);
    }

    private async Task<SmtpReply> AuthenticateAsync(ISmtpSessionContext context, CancellationToken cancellationToken)
    {
        if (context.IsAuthenticated)
        {
            return SmtpReplies.AlreadyAuthenticated;
        }

        if (!context.IsSecure && !context.Options.AllowPlaintextAuth)
        {
            return SmtpReplies.AuthNeedsTls;
        }

        if (mechanism is not ("PLAIN" or "LOGIN"))
        {
            return SmtpReplies.AuthMechanismUnrecognized;
        }

        // A client locked out over every name hears so before it sends a password.
        if (context.LoginFailures.LockedUntil(context.ClientAddress, username: null) is { } clientLocked)
        {
            return TooManyFailures(clientLocked, context);
        }

        var credentials = mechanism == "PLAIN" ? await PlainAsync(context) : await LoginAsync(context);
        if (credentials.Reply is { } problem)
        {
            return problem;
        }

        // The lockout is tested inside the turn, right before the password: only the failures of
        // checks already in flight (fewer than MaxAuthChecksPerClient) can land after it.
        var (username, password) = credentials.Value;
        Tenant? tenant;
        using (await context.PasswordChecks.WaitAsync(context.ClientAddress, cancellationToken))
        {
            if (context.LoginFailures.LockedUntil(context.ClientAddress, username) is { } locked)
            {
                return TooManyFailures(locked, context);
            }

            tenant = context.Authenticator.Authenticate(username, password);
            if (tenant is null)
            {
                context.LogAuthFailure(username, context.LoginFailures.RecordFailure(context.ClientAddress, username));
                return SmtpReplies.AuthFailed;
            }

            context.LoginFailures.RecordSuccess(context.ClientAddress, username);
        }

        context.Authenticate(tenant, username);
        return SmtpReplies.AuthSucceeded;
    }

    // RFC 4954 6: 454 4.7.0 is a temporary authentication failure; the client may try again later.
    private static SmtpReply TooManyFailures(DateTimeOffset lockedUntil, ISmtpSessionContext context) =>
        SmtpReplies.AuthLockedOut(Math.Max(1, (int)Math.Ceiling((lockedUntil - context.Time.GetUtcNow()).TotalSeconds)));

    // RFC 4616 2: [authzid] NUL authcid NUL passwd. An authzid other than the user is acting for
    // someone else, which this gateway does not allow.
    private async Task<Credentials> PlainAsync(ISmtpSessionContext context)
    {
        var response = initialResponse ?? await context.ChallengeAsync(string.Empty);
        if (Decode(response, context.Options.Hostname, out var text) is { } problem)
        {
            return new(problem);
        }

        var fields = text.Split('\0');
        if (fields.Length != 3 || (fields[0].Length > 0 && fields[0] != fields[1]))
        {
            return new(SmtpReplies.AuthPlainMalformed);
        }

        return new(fields[1], fields[2]);
    }

    private async Task<Credentials> LoginAsync(ISmtpSessionContext context)
    {
        if (Decode(initialResponse ?? await context.ChallengeAsync(UsernameChallenge), context.Options.Hostname, out var username) is { } problem)
        {
            return new(problem);
        }

        return Decode(await context.ChallengeAsync(PasswordChallenge), context.Options.Hostname, out var password) is { } passwordProblem
            ? new(passwordProblem)
            : new(username, password);
    }

    private static SmtpReply? Decode(string? response, string hostname, out string text)
    {
        text = string.Empty;
        switch (response)
        {
            case null:
                return SmtpReplies.Timeout(hostname);
            case "*":
                return SmtpReplies.AuthCancelled;
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
            return SmtpReplies.AuthNotBase64;
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
