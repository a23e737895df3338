namespace Suppression.Smtp.Tenants;

/// <summary><c>Suppression:Tenants:N:SmtpUsers:M</c>: one SMTP AUTH login; exactly one of Password and PasswordHash.</summary>
public sealed class SmtpUserOptions
{
    public string Username { get; set; } = string.Empty;

    /// <summary>The password in clear (from a secret store or environment variable, never a committed file).</summary>
    public string? Password { get; set; }

    /// <summary>A salted hash: <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>.</summary>
    public string? PasswordHash { get; set; }
}
