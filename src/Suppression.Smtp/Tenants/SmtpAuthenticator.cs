namespace Suppression.Smtp.Tenants;

/// <summary>Who may log in over SMTP AUTH, and the tenant each login sends for.</summary>
public sealed class SmtpAuthenticator
{
    private readonly Dictionary<string, (Tenant Tenant, PasswordVerifier Password)> _users = new(StringComparer.Ordinal);

    /// <param name="directory">The tenants the logins belong to, as the rest of the server knows them.</param>
    public SmtpAuthenticator(IEnumerable<TenantOptions> tenants, TenantDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(directory);
        foreach (var options in tenants)
        {
            if (!directory.TryGet(options.Id, out var tenant))
            {
                throw new ArgumentException($"Tenant '{options.Id}' is not in the directory.", nameof(directory));
            }

            foreach (var user in options.SmtpUsers ?? [])
            {
                var verifier = user.PasswordHash is not null
                    ? PasswordVerifier.TryParse(user.PasswordHash, out var parsed) ? parsed : throw new FormatException($"SMTP user '{user.Username}' has an unreadable PasswordHash.")
                    : PasswordVerifier.FromPassword(user.Password ?? throw new FormatException($"SMTP user '{user.Username}' has no password."));
                _users.Add(user.Username, (tenant, verifier));
            }
        }
    }

    public static SmtpAuthenticator None { get; } = new([], TenantDirectory.None);

    /// <summary>Whether anyone can log in at all; AUTH is offered only then.</summary>
    public bool HasUsers => _users.Count > 0;

    /// <returns>The user's tenant, or null for a wrong name or password (which take equally long).</returns>
    public Tenant? Authenticate(string username, string password)
    {
        var found = _users.TryGetValue(username, out var user);
        var verified = (found ? user.Password : PasswordVerifier.Decoy).Verify(password);
        return found && verified ? user.Tenant : null;
    }
}
