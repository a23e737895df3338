using Suppression.Addresses;
using Suppression.Smtp.Messages.Dkim;
using Suppression.Smtp.Messages.FeedbackLoop;
using Suppression.Smtp.Messages.Unsubscribe;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Configuration;

/// <summary>
/// Checks every key before anything starts listening; each problem is one line that names the key,
/// so an operator can fix the configuration without reading a stack trace.
/// </summary>
public static class ConfigurationValidation
{
    public static List<string> Validate(GatewayOptions gateway)
    {
        var smtp = gateway.Smtp;
        var upstream = gateway.Upstream;
        var errors = new List<string>();
        void Check(bool valid, string key, string problem)
        {
            if (!valid)
            {
                errors.Add($"{key}: {problem}");
            }
        }

        Check(ListenAddress.TryParse(smtp.Address, out _), "Suppression:Smtp:Address", $"'{smtp.Address}' is not an IP address (use 0.0.0.0 or :: for all interfaces)");
        Check(smtp.Port is > 0 and <= 65535, "Suppression:Smtp:Port", $"{smtp.Port} is not a TCP port (1-65535)");
        Check(!string.IsNullOrWhiteSpace(smtp.Hostname) && !smtp.Hostname.Any(char.IsWhiteSpace), "Suppression:Smtp:Hostname", "must be a host name without spaces");
        foreach (var network in smtp.EffectiveRelayNetworks)
        {
            Check(RelayNetworks.TryParse(network, out _), "Suppression:Smtp:RelayNetworks", $"'{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8)");
        }

        Check(smtp.MaxMessageBytes is >= 1024 and <= 2_147_483_647, "Suppression:Smtp:MaxMessageBytes", "must be between 1024 and 2147483647");
        Check(smtp.MaxRecipients is >= 1 and <= 100_000, "Suppression:Smtp:MaxRecipients", "must be between 1 and 100000 (RFC 5321 asks for at least 100)");
        Check(smtp.MaxHeaderBytes >= 1024, "Suppression:Smtp:MaxHeaderBytes", "must be at least 1024");
        Check(smtp.MaxHeaderFieldBytes >= 1000, "Suppression:Smtp:MaxHeaderFieldBytes", "must be at least 1000 (one line, RFC 5322 2.1.1)");
        Check(smtp.MaxLocalMailboxBytes >= 1024, "Suppression:Smtp:MaxLocalMailboxBytes", "must be at least 1024");
        Check(smtp.MaxLocalMailboxParts >= 1, "Suppression:Smtp:MaxLocalMailboxParts", "must be at least 1");
        Check(smtp.MaxConcurrentLocalMail >= 1, "Suppression:Smtp:MaxConcurrentLocalMail", "must be at least 1");
        Check(Enum.IsDefined(smtp.BlockedRecipient), "Suppression:Smtp:BlockedRecipient", "must be Drop or Reject");
        Check(smtp.MaxSessions >= 1, "Suppression:Smtp:MaxSessions", "must be at least 1");
        Check(smtp.MaxSessionsPerClient >= 1, "Suppression:Smtp:MaxSessionsPerClient", "must be at least 1");
        Check(smtp.MaxStrangerSessions is null || (smtp.MaxStrangerSessions >= 1 && smtp.MaxStrangerSessions <= smtp.MaxSessions),
            "Suppression:Smtp:MaxStrangerSessions", "must be between 1 and Suppression:Smtp:MaxSessions");
        Check(smtp.MaxErrors >= 1, "Suppression:Smtp:MaxErrors", "must be at least 1");
        Check(smtp.MinDataBytesPerSecond is >= 1 and <= 100_000_000, "Suppression:Smtp:MinDataBytesPerSecond", "must be between 1 and 100000000");
        Check(smtp.MaxJunkCommands >= 1, "Suppression:Smtp:MaxJunkCommands", "must be at least 1");
        Check(smtp.CommandTimeout >= TimeSpan.FromSeconds(1), "Suppression:Smtp:CommandTimeout", "must be at least 00:00:01 (RFC 5321 4.5.3.2 recommends 00:05:00)");
        Check(smtp.MaxAuthFailures >= 1, "Suppression:Smtp:MaxAuthFailures", "must be at least 1");
        Check(smtp.MaxAuthFailuresPerClient >= smtp.MaxAuthFailures, "Suppression:Smtp:MaxAuthFailuresPerClient", "must be at least Suppression:Smtp:MaxAuthFailures");
        Check(smtp.AuthLockout >= TimeSpan.FromSeconds(1), "Suppression:Smtp:AuthLockout", "must be at least 00:00:01");
        Check(smtp.MaxAuthLockout >= smtp.AuthLockout && smtp.MaxAuthLockout <= TimeSpan.FromDays(1), "Suppression:Smtp:MaxAuthLockout", "must be between Suppression:Smtp:AuthLockout and 1.00:00:00");
        Check(smtp.AuthFailureWindow >= TimeSpan.FromSeconds(1), "Suppression:Smtp:AuthFailureWindow", "must be at least 00:00:01");
        Check(smtp.MaxAuthChecksPerClient >= 1, "Suppression:Smtp:MaxAuthChecksPerClient", "must be at least 1");
        Check(smtp.MemoryBufferBytes is >= 4096 and <= 268_435_456, "Suppression:Smtp:MemoryBufferBytes", "must be between 4096 and 268435456");
        if (smtp.CertificatePath is not null)
        {
            Check(File.Exists(smtp.CertificatePath), "Suppression:Smtp:CertificatePath", $"file '{smtp.CertificatePath}' does not exist");
        }

        if (smtp.CertificateKeyPath is not null)
        {
            Check(smtp.CertificatePath is not null, "Suppression:Smtp:CertificateKeyPath", "is set but Suppression:Smtp:CertificatePath is not");
            Check(File.Exists(smtp.CertificateKeyPath), "Suppression:Smtp:CertificateKeyPath", $"file '{smtp.CertificateKeyPath}' does not exist");
        }

        var redis = gateway.RedisResilience;
        Check(redis.LookupTimeout >= TimeSpan.FromMilliseconds(100) && redis.LookupTimeout <= TimeSpan.FromMinutes(1),
            "Suppression:RedisResilience:LookupTimeout", "must be between 00:00:00.1 and 00:01:00");
        Check(redis.AttemptTimeout >= TimeSpan.FromMilliseconds(10) && redis.AttemptTimeout <= redis.LookupTimeout,
            "Suppression:RedisResilience:AttemptTimeout", "must be at least 00:00:00.01 and at most LookupTimeout");
        Check(redis.LookupRetries is >= 0 and <= 10, "Suppression:RedisResilience:LookupRetries", "must be between 0 and 10");
        Check(redis.WriteTimeout >= TimeSpan.FromMilliseconds(100) && redis.WriteTimeout <= TimeSpan.FromMinutes(1),
            "Suppression:RedisResilience:WriteTimeout", "must be between 00:00:00.1 and 00:01:00");
        Check(redis.BreakDuration >= TimeSpan.FromMilliseconds(500) && redis.BreakDuration <= TimeSpan.FromDays(1),
            "Suppression:RedisResilience:BreakDuration", "must be between 00:00:00.5 and 1.00:00:00 (Polly's limits)");

        if (!string.IsNullOrWhiteSpace(upstream.Host))
        {
            Check(Uri.CheckHostName(upstream.Host) != UriHostNameType.Unknown, "Suppression:Upstream:Host", $"'{upstream.Host}' is not a host name or IP address");
        }

        Check(upstream.Port is > 0 and <= 65535, "Suppression:Upstream:Port", $"{upstream.Port} is not a TCP port (1-65535)");
        Check(Enum.IsDefined(upstream.Tls), "Suppression:Upstream:Tls", "must be None, WhenAvailable or Required");
        Check(upstream.Timeout >= TimeSpan.FromSeconds(1), "Suppression:Upstream:Timeout", "must be at least 00:00:01");
        Check(upstream.RetryAttempts is >= 0 and <= 10, "Suppression:Upstream:RetryAttempts", "must be between 0 and 10");
        Check(upstream.RetryBudget >= TimeSpan.FromSeconds(1), "Suppression:Upstream:RetryBudget", "must be at least 00:00:01");
        Check(upstream.MaxIdleConnections >= 0, "Suppression:Upstream:MaxIdleConnections", "must not be negative");
        Check(upstream.CircuitFailureRatio is > 0 and <= 1, "Suppression:Upstream:CircuitFailureRatio", "must be above 0 and at most 1");
        Check(upstream.CircuitMinimumThroughput >= 2, "Suppression:Upstream:CircuitMinimumThroughput", "must be at least 2");
        Check(upstream.CircuitSamplingDuration >= TimeSpan.FromMilliseconds(500), "Suppression:Upstream:CircuitSamplingDuration", "must be at least 00:00:00.5");
        Check(upstream.CircuitBreakDuration >= TimeSpan.FromMilliseconds(500), "Suppression:Upstream:CircuitBreakDuration", "must be at least 00:00:00.5");
        Check(string.IsNullOrEmpty(upstream.Password) || !string.IsNullOrEmpty(upstream.Username), "Suppression:Upstream:Password", "is set but Suppression:Upstream:Username is not");

        Check(!string.IsNullOrWhiteSpace(gateway.DataDirectory), "Suppression:DataDirectory", "must not be empty");
        Check(Uri.TryCreate(gateway.PublicBaseUrl, UriKind.Absolute, out var baseUrl) && baseUrl.Scheme is "http" or "https",
            "Suppression:PublicBaseUrl", $"'{gateway.PublicBaseUrl}' is not an absolute http(s) URL");
        foreach (var key in gateway.Admin.ApiKeys ?? [])
        {
            Check(ApiKeyDigest.TryCreate(key, out _), "Suppression:Admin:ApiKeys", "each key must be at least 16 characters, or sha256:<64 hex digits>");
        }

        foreach (var key in gateway.Compliance.ApiKeys ?? [])
        {
            Check(ApiKeyDigest.TryCreate(key, out _), "Suppression:Compliance:ApiKeys", "each key must be at least 16 characters, or sha256:<64 hex digits>");
        }

        foreach (var key in gateway.Metrics.ApiKeys ?? [])
        {
            Check(ApiKeyDigest.TryCreate(key, out _), "Suppression:Metrics:ApiKeys", "each key must be at least 16 characters, or sha256:<64 hex digits>");
        }

        Check(gateway.Metrics.Prometheus || gateway.Metrics.ApiKeys is not { Length: > 0 }, "Suppression:Metrics:ApiKeys",
            "is set but Suppression:Metrics:Prometheus is false: there is no /metrics endpoint to protect");

        // TokenKeyRing's errors name the entry (Suppression:Tokens:Keys:N) and never quote the secret.
        if (gateway.Tokens.Keys is { Length: > 0 } tokenKeys && !TokenKeyRing.TryParse(tokenKeys, out _, out var tokenKeyError))
        {
            errors.Add(tokenKeyError);
        }

        Check(gateway.Tokens.Lifetime >= UnsubscribeTokenCodec.MinimumLifetime, "Suppression:Tokens:Lifetime",
            "must be at least 30.00:00:00 (CAN-SPAM requires the opt-out to work for 30 days after sending)");
        var unsubscribe = gateway.Unsubscribe;
        Check(unsubscribe.RequestsPerMinute >= 1, "Suppression:Unsubscribe:RequestsPerMinute", "must be at least 1");
        Check(unsubscribe.RequestsPerLinkPerMinute >= 1, "Suppression:Unsubscribe:RequestsPerLinkPerMinute", "must be at least 1");
        Check(unsubscribe.RequestsPerRecipientPerMinute >= 1, "Suppression:Unsubscribe:RequestsPerRecipientPerMinute", "must be at least 1");
        if (!string.IsNullOrEmpty(unsubscribe.MailtoAddress))
        {
            Check(ListUnsubscribeStamper.IsValidMailtoAddress(unsubscribe.MailtoAddress.Trim()), "Suppression:Unsubscribe:MailtoAddress",
                $"'{unsubscribe.MailtoAddress}' must be a plain ASCII address (letters, digits, '.', '-', '_', '+', one '@'), or empty for no mailto link");
        }

        Check(Enum.IsDefined(unsubscribe.SenderHeaders), "Suppression:Unsubscribe:SenderHeaders", "must be Replace or KeepIfPresent");
        Check(unsubscribe.UndoWindow >= TimeSpan.Zero && unsubscribe.UndoWindow <= TimeSpan.FromDays(1), "Suppression:Unsubscribe:UndoWindow",
            "must be between 00:00:00 (no undo) and 1.00:00:00");

        ValidateTenants(gateway.Tenants ?? [], errors);
        var feedback = gateway.Feedback;
        foreach (var address in feedback.Addresses ?? [])
        {
            Check(AddressNormalizer.TryNormalize(address, out _, out _), "Suppression:Feedback:Addresses", $"'{address}' is not an address");
        }

        Check(feedback.SoftBounceLimit >= 1, "Suppression:Feedback:SoftBounceLimit", "must be at least 1");
        Check(feedback.MaxReportRecipients >= 1, "Suppression:Feedback:MaxReportRecipients", "must be at least 1");
        Check(feedback.MaxKeptPerSource >= 1, "Suppression:Feedback:MaxKeptPerSource", "must be at least 1");
        Check(feedback.KeptPerSourceWindow >= TimeSpan.FromMinutes(1), "Suppression:Feedback:KeptPerSourceWindow", "must be at least 00:01:00");
        Check(feedback.SoftBounceWindow >= TimeSpan.FromMinutes(1), "Suppression:Feedback:SoftBounceWindow", "must be at least 00:01:00");
        Check(IsReturnPathDomain(feedback.ReturnPathDomain), "Suppression:Feedback:ReturnPathDomain", $"'{feedback.ReturnPathDomain}' is not a domain name");
        Check(feedback.ReturnPathValidity >= TimeSpan.FromDays(1) && feedback.ReturnPathValidity <= TimeSpan.FromDays(365), "Suppression:Feedback:ReturnPathValidity",
            "must be between 1.00:00:00 and 365.00:00:00 (the tag counts whole days)");
        Check(Enum.IsDefined(feedback.Unauthenticated), "Suppression:Feedback:Unauthenticated", "must be Review or Act");
        Check(feedback.ReviewRetention >= TimeSpan.FromDays(1) && feedback.ReviewRetention <= TimeSpan.FromDays(365), "Suppression:Feedback:ReviewRetention",
            "must be between 1.00:00:00 and 365.00:00:00");

        Check(!string.IsNullOrEmpty(gateway.RedisKeyPrefix) && gateway.RedisKeyPrefix.IndexOfAny(['{', '}']) < 0, "Suppression:RedisKeyPrefix",
            "must be non-empty and without '{' or '}' (those are Redis Cluster hash tags)");
        Check(gateway.NewStoreFormat is Suppression.Redis.Suppressions.StorageFormat.Compact or Suppression.Redis.Suppressions.StorageFormat.Hashed,
            "Suppression:NewStoreFormat", "must be Compact or Hashed");

        Check(Suppression.Addresses.AddressVariantRules.AreValidSubaddressSeparators(gateway.Addresses?.TagDelimiters, out var delimiterError),
            "Suppression:Addresses:TagDelimiters", delimiterError);

        var audit = gateway.Audit;
        if (audit.Key is not null)
        {
            // The message never quotes the secret.
            Check(AuditOptions.TryParseKey(audit.Key, out _), "Suppression:Audit:Key", "must be base64 of at least 32 bytes (e.g. openssl rand -base64 32)");
        }

        Check(audit.BlockedRetention >= TimeSpan.FromDays(1), "Suppression:Audit:BlockedRetention", "must be at least 1.00:00:00");
        Check(audit.RetentionInterval >= TimeSpan.FromMinutes(1), "Suppression:Audit:RetentionInterval", "must be at least 00:01:00");

        foreach (var proxy in gateway.Http.KnownProxies ?? [])
        {
            Check(HttpOptions.TryParseProxy(proxy, out _), "Suppression:Http:KnownProxies", $"'{proxy}' is not an IP address (use KnownNetworks for a range)");
        }

        foreach (var network in gateway.Http.KnownNetworks ?? [])
        {
            Check(HttpOptions.TryParseNetwork(network, out _), "Suppression:Http:KnownNetworks", $"'{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8)");
        }

        Check(gateway.Console.SignInFailuresPerMinute >= 1, "Suppression:Console:SignInFailuresPerMinute", "must be at least 1");

        // DkimOptions names each key itself (Suppression:Dkim:Signers:N:...), and reads each key file once.
        var tenantIds = (gateway.Tenants ?? []).Where(tenant => tenant is not null).Select(tenant => tenant.Id).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(DkimOptions.Validate(gateway.Dkim, tenantIds));

        return errors;
    }

    // Unset is fine; a set value must be a DNS name, since a tag is written as "<tag>@<domain>".
    private static bool IsReturnPathDomain(string? domain) =>
        string.IsNullOrWhiteSpace(domain) || Uri.CheckHostName(domain.Trim()) == UriHostNameType.Dns;

    private static void ValidateTenants(TenantOptions[] tenants, List<string> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var usernames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < tenants.Length; i++)
        {
            var key = $"Suppression:Tenants:{i}";
            var tenant = tenants[i];
            if (tenant is null || !SuppressionScope.TryForTenant(tenant.Id, out _) || string.IsNullOrEmpty(tenant.Id))
            {
                errors.Add($"{key}:Id: '{tenant?.Id}' is not a tenant id (1-64 letters, digits, '-', '_' or '.')");
                continue;
            }

            if (!seen.TryAdd(tenant.Id, i))
            {
                errors.Add($"{key}:Id: '{tenant.Id}' is already Suppression:Tenants:{seen[tenant.Id]}");
            }

            foreach (var network in tenant.Networks ?? [])
            {
                if (!RelayNetworks.TryParse(network, out _))
                {
                    errors.Add($"{key}:Networks: '{network}' is not a network in CIDR notation (e.g. 10.1.0.0/16)");
                }
            }

            if (!Enum.IsDefined(tenant.DefaultClass))
            {
                errors.Add($"{key}:DefaultClass: must be Marketing or Transactional");
            }
            else if (tenant.DefaultClass == MessageClass.Transactional && !tenant.AllowTransactional)
            {
                errors.Add($"{key}:DefaultClass: is Transactional, which needs {key}:AllowTransactional=true");
            }

            if (!IsReturnPathDomain(tenant.ReturnPathDomain))
            {
                errors.Add($"{key}:ReturnPathDomain: '{tenant.ReturnPathDomain}' is not a domain name");
            }

            if (!string.IsNullOrWhiteSpace(tenant.BounceForwardAddress) && !AddressNormalizer.TryNormalize(tenant.BounceForwardAddress.Trim(), out _, out _))
            {
                errors.Add($"{key}:BounceForwardAddress: '{tenant.BounceForwardAddress}' is not an address");
            }

            if (!string.IsNullOrEmpty(tenant.FeedbackId) && !FeedbackIdField.TryValidate(tenant.FeedbackId, out var problem))
            {
                errors.Add($"{key}:FeedbackId: '{tenant.FeedbackId}' {problem}");
            }

            ValidateTopics(key, tenant.Topics ?? [], errors);
            var users = tenant.SmtpUsers ?? [];
            for (var j = 0; j < users.Length; j++)
            {
                ValidateSmtpUser($"{key}:SmtpUsers:{j}", users[j], usernames, errors);
            }
        }
    }

    // Lower case only: the gateway lower-cases the topic a message names, so "Deals" could never match.
    private static void ValidateTopics(string tenantKey, TopicOptions[] topics, List<string> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < topics.Length; i++)
        {
            var id = topics[i]?.Id;
            if (id is null || id.Any(char.IsAsciiLetterUpper) || !SuppressionScope.IsValidName(id))
            {
                errors.Add($"{tenantKey}:Topics:{i}:Id: '{id}' is not a topic (1-64 lower-case letters, digits, '-', '_' or '.')");
            }
            else if (!seen.TryAdd(id, i))
            {
                errors.Add($"{tenantKey}:Topics:{i}:Id: '{id}' is already {tenantKey}:Topics:{seen[id]}");
            }
        }
    }

    // Never quotes a password or hash back: the error line goes to logs and terminals.
    private static void ValidateSmtpUser(string key, SmtpUserOptions? user, Dictionary<string, string> usernames, List<string> errors)
    {
        if (user is null || string.IsNullOrWhiteSpace(user.Username) || user.Username.Any(char.IsControl))
        {
            errors.Add($"{key}:Username: must be a non-empty name without control characters");
            return;
        }

        if (!usernames.TryAdd(user.Username, key))
        {
            errors.Add($"{key}:Username: '{user.Username}' is already {usernames[user.Username]}");
        }

        if ((user.Password is null) == (user.PasswordHash is null))
        {
            errors.Add($"{key}: set exactly one of Password and PasswordHash");
        }
        else if (user.Password is not null && user.Password.Length < 12)
        {
            errors.Add($"{key}:Password: must be at least 12 characters");
        }
        else if (user.PasswordHash is not null && !PasswordVerifier.TryParse(user.PasswordHash, out _))
        {
            errors.Add($"{key}:PasswordHash: must be pbkdf2-sha256$<iterations, at least 10000>$<base64 salt>$<base64 32-byte hash>");
        }
    }
}
