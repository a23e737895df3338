using Suppression.Addresses;
using Suppression.Configuration;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Smtp.Hosting;

/// <summary><c>Suppression:Tenants</c>: each tenant, its topics and its SMTP users, one line per bad key.</summary>
public static class TenantOptionsValidation
{
    public static void Validate(TenantOptions[] tenants, ConfigurationProblems problems)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(problems);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var usernames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < tenants.Length; i++)
        {
            var key = $"Suppression:Tenants:{i}";
            var tenant = tenants[i];
            if (tenant is null || !SuppressionScope.TryForTenant(tenant.Id, out _) || string.IsNullOrEmpty(tenant.Id))
            {
                problems.Add($"{key}:Id", $"'{tenant?.Id}' is not a tenant id (1-64 letters, digits, '-', '_' or '.')");
                continue;
            }

            if (!seen.TryAdd(tenant.Id, i))
            {
                problems.Add($"{key}:Id", $"'{tenant.Id}' is already Suppression:Tenants:{seen[tenant.Id]}");
            }

            foreach (var network in tenant.Networks ?? [])
            {
                problems.Check(Server.RelayNetworks.TryParse(network, out _), $"{key}:Networks", $"'{network}' is not a network in CIDR notation (e.g. 10.1.0.0/16)");
            }

            if (!Enum.IsDefined(tenant.DefaultClass))
            {
                problems.Add($"{key}:DefaultClass", "must be Marketing or Transactional");
            }
            else if (tenant.DefaultClass == MessageClass.Transactional && !tenant.AllowTransactional)
            {
                problems.Add($"{key}:DefaultClass", $"is Transactional, which needs {key}:AllowTransactional=true");
            }

            problems.Check(IsReturnPathDomain(tenant.ReturnPathDomain), $"{key}:ReturnPathDomain", $"'{tenant.ReturnPathDomain}' is not a domain name");
            if (!string.IsNullOrWhiteSpace(tenant.BounceForwardAddress) && !AddressNormalizer.TryNormalize(tenant.BounceForwardAddress.Trim(), out _, out _))
            {
                problems.Add($"{key}:BounceForwardAddress", $"'{tenant.BounceForwardAddress}' is not an address");
            }

            if (!string.IsNullOrEmpty(tenant.FeedbackId) && !FeedbackIdField.TryValidate(tenant.FeedbackId, out var problem))
            {
                problems.Add($"{key}:FeedbackId", $"'{tenant.FeedbackId}' {problem}");
            }

            ValidateTopics(key, tenant.Topics ?? [], tenant.AllowTransactional, problems);
            var users = tenant.SmtpUsers ?? [];
            for (var j = 0; j < users.Length; j++)
            {
                ValidateSmtpUser($"{key}:SmtpUsers:{j}", users[j], usernames, problems);
            }
        }
    }

    // Unset is fine; a set value must be a DNS name, since a tag is written as "<tag>@<domain>".
    public static bool IsReturnPathDomain(string? domain) =>
        string.IsNullOrWhiteSpace(domain) || Uri.CheckHostName(domain.Trim()) == UriHostNameType.Dns;

    // Lower case only: the gateway lower-cases the topic a message names, so "Deals" could never match.
    private static void ValidateTopics(string tenantKey, TopicOptions[] topics, bool allowTransactional, ConfigurationProblems problems)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < topics.Length; i++)
        {
            var id = topics[i]?.Id;
            if (id is null || id.Any(char.IsAsciiLetterUpper) || !SuppressionScope.IsValidName(id))
            {
                problems.Add($"{tenantKey}:Topics:{i}:Id", $"'{id}' is not a topic (1-64 lower-case letters, digits, '-', '_' or '.')");
            }
            else if (!seen.TryAdd(id, i))
            {
                problems.Add($"{tenantKey}:Topics:{i}:Id", $"'{id}' is already {tenantKey}:Topics:{seen[id]}");
            }

            if (topics[i] is { Class: not null, ParsedClass: null })
            {
                problems.Add($"{tenantKey}:Topics:{i}:Class", $"'{topics[i].Class}' must be Marketing or Transactional");
            }
            else if (topics[i]?.ParsedClass == MessageClass.Transactional && !allowTransactional)
            {
                problems.Add($"{tenantKey}:Topics:{i}:Class", $"is Transactional, which needs {tenantKey}:AllowTransactional=true");
            }
        }
    }

    // Never quotes a password or hash back: the error line goes to logs and terminals.
    private static void ValidateSmtpUser(string key, SmtpUserOptions? user, Dictionary<string, string> usernames, ConfigurationProblems problems)
    {
        if (user is null || string.IsNullOrWhiteSpace(user.Username) || user.Username.Any(char.IsControl))
        {
            problems.Add($"{key}:Username", "must be a non-empty name without control characters");
            return;
        }

        if (!usernames.TryAdd(user.Username, key))
        {
            problems.Add($"{key}:Username", $"'{user.Username}' is already {usernames[user.Username]}");
        }

        if ((user.Password is null) == (user.PasswordHash is null))
        {
            problems.Add(key, "set exactly one of Password and PasswordHash");
        }
        else if (user.Password is not null && user.Password.Length < 12)
        {
            problems.Add($"{key}:Password", "must be at least 12 characters");
        }
        else if (user.PasswordHash is not null && !PasswordVerifier.TryParse(user.PasswordHash, out _))
        {
            problems.Add($"{key}:PasswordHash", "must be pbkdf2-sha256$<iterations, at least 10000>$<base64 salt>$<base64 32-byte hash>");
        }
    }
}
