using Microsoft.Extensions.Options;
using Suppression.Addresses;
using Suppression.Configuration;
using Suppression.Smtp.Dkim;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Feedback.Providers;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Hosting;

/// <summary>
/// Each bad key of the SMTP side's sections is one line naming it (the tenants, their topics and
/// users: <see cref="TenantOptionsValidation"/>), before anything starts listening.
/// </summary>
public sealed class SmtpGatewayOptionsValidation : IValidateOptions<SmtpGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ConfigurationProblems();
        ValidateSmtp(options.Smtp, problems);
        ValidateUpstream(options.Upstream, problems);
        TenantOptionsValidation.Validate(options.Tenants ?? [], problems);
        ValidateFeedback(options.Feedback, problems);
        FeedbackProviderOptionsValidation.Validate(options.Feedback.Providers ?? [], options.Tenants ?? [], problems);

        // DkimOptions names each key itself (Suppression:Dkim:Signers:N:...), and reads each key file once.
        var tenantIds = (options.Tenants ?? []).Where(tenant => tenant is not null).Select(tenant => tenant.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var line in DkimOptions.Validate(options.Dkim, tenantIds))
        {
            problems.AddLine(line);
        }

        return problems.Lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Lines);
    }

    // The listen address is the host's to check: it is where Kestrel binds.
    private static void ValidateSmtp(SmtpServerOptions smtp, ConfigurationProblems problems)
    {
        problems.Check(smtp.Port is > 0 and <= 65535, "Suppression:Smtp:Port", $"{smtp.Port} is not a TCP port (1-65535)");
        problems.Check(!string.IsNullOrWhiteSpace(smtp.Hostname) && !smtp.Hostname.Any(char.IsWhiteSpace), "Suppression:Smtp:Hostname", "must be a host name without spaces");
        foreach (var network in smtp.EffectiveRelayNetworks)
        {
            problems.Check(RelayNetworks.TryParse(network, out _), "Suppression:Smtp:RelayNetworks", $"'{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8)");
        }

        problems.Check(smtp.MaxMessageBytes is >= 1024 and <= 2_147_483_647, "Suppression:Smtp:MaxMessageBytes", "must be between 1024 and 2147483647");
        problems.Check(smtp.MaxRecipients is >= 1 and <= 100_000, "Suppression:Smtp:MaxRecipients", "must be between 1 and 100000 (RFC 5321 asks for at least 100)");
        problems.Check(smtp.MaxHeaderBytes >= 1024, "Suppression:Smtp:MaxHeaderBytes", "must be at least 1024");
        problems.Check(smtp.MaxHeaderFieldBytes >= 1000, "Suppression:Smtp:MaxHeaderFieldBytes", "must be at least 1000 (one line, RFC 5322 2.1.1)");
        problems.Check(smtp.MaxLocalMailboxBytes >= 1024, "Suppression:Smtp:MaxLocalMailboxBytes", "must be at least 1024");
        problems.Check(smtp.MaxLocalMailboxParts >= 1, "Suppression:Smtp:MaxLocalMailboxParts", "must be at least 1");
        problems.Check(smtp.MaxConcurrentLocalMail >= 1, "Suppression:Smtp:MaxConcurrentLocalMail", "must be at least 1");
        problems.Check(Enum.IsDefined(smtp.BlockedRecipient), "Suppression:Smtp:BlockedRecipient", "must be Drop or Reject");
        problems.Check(smtp.MaxSessions >= 1, "Suppression:Smtp:MaxSessions", "must be at least 1");
        problems.Check(smtp.MaxSessionsPerClient >= 1, "Suppression:Smtp:MaxSessionsPerClient", "must be at least 1");
        problems.Check(smtp.MaxStrangerSessions is null || (smtp.MaxStrangerSessions >= 1 && smtp.MaxStrangerSessions <= smtp.MaxSessions),
            "Suppression:Smtp:MaxStrangerSessions", "must be between 1 and Suppression:Smtp:MaxSessions");
        problems.Check(smtp.MaxErrors >= 1, "Suppression:Smtp:MaxErrors", "must be at least 1");
        problems.Check(smtp.MinDataBytesPerSecond is >= 1 and <= 100_000_000, "Suppression:Smtp:MinDataBytesPerSecond", "must be between 1 and 100000000");
        problems.Check(smtp.MaxJunkCommands >= 1, "Suppression:Smtp:MaxJunkCommands", "must be at least 1");
        problems.Check(smtp.CommandTimeout >= TimeSpan.FromSeconds(1), "Suppression:Smtp:CommandTimeout", "must be at least 00:00:01 (RFC 5321 4.5.3.2 recommends 00:05:00)");
        problems.Check(smtp.MaxAuthFailures >= 1, "Suppression:Smtp:MaxAuthFailures", "must be at least 1");
        problems.Check(smtp.MaxAuthFailuresPerClient >= smtp.MaxAuthFailures, "Suppression:Smtp:MaxAuthFailuresPerClient", "must be at least Suppression:Smtp:MaxAuthFailures");
        problems.Check(smtp.AuthLockout >= TimeSpan.FromSeconds(1), "Suppression:Smtp:AuthLockout", "must be at least 00:00:01");
        problems.Check(smtp.MaxAuthLockout >= smtp.AuthLockout && smtp.MaxAuthLockout <= TimeSpan.FromDays(1), "Suppression:Smtp:MaxAuthLockout", "must be between Suppression:Smtp:AuthLockout and 1.00:00:00");
        problems.Check(smtp.AuthFailureWindow >= TimeSpan.FromSeconds(1), "Suppression:Smtp:AuthFailureWindow", "must be at least 00:00:01");
        problems.Check(smtp.MaxAuthChecksPerClient >= 1, "Suppression:Smtp:MaxAuthChecksPerClient", "must be at least 1");
        problems.Check(smtp.MemoryBufferBytes is >= 4096 and <= 268_435_456, "Suppression:Smtp:MemoryBufferBytes", "must be between 4096 and 268435456");
        var certificateFilesExist = true;
        if (smtp.CertificatePath is not null)
        {
            certificateFilesExist = File.Exists(smtp.CertificatePath);
            problems.Check(certificateFilesExist, "Suppression:Smtp:CertificatePath", $"file '{smtp.CertificatePath}' does not exist");
        }

        if (smtp.CertificateKeyPath is not null)
        {
            problems.Check(smtp.CertificatePath is not null, "Suppression:Smtp:CertificateKeyPath", "is set but Suppression:Smtp:CertificatePath is not");
            problems.Check(File.Exists(smtp.CertificateKeyPath), "Suppression:Smtp:CertificateKeyPath", $"file '{smtp.CertificateKeyPath}' does not exist");
            certificateFilesExist &= File.Exists(smtp.CertificateKeyPath);
        }

        // Files that are there but cannot be read as a certificate and its key stop the start too.
        if (certificateFilesExist)
        {
            var loaded = SmtpCertificateLoader.TryLoad(smtp, out var certificate, out var problem);
            certificate?.Dispose();
            if (!loaded)
            {
                problems.AddLine(problem!);
            }
        }
    }

    private static void ValidateUpstream(UpstreamOptions upstream, ConfigurationProblems problems)
    {
        if (!string.IsNullOrWhiteSpace(upstream.Host))
        {
            problems.Check(Uri.CheckHostName(upstream.Host) != UriHostNameType.Unknown, "Suppression:Upstream:Host", $"'{upstream.Host}' is not a host name or IP address");
        }

        problems.Check(upstream.Port is > 0 and <= 65535, "Suppression:Upstream:Port", $"{upstream.Port} is not a TCP port (1-65535)");
        problems.Check(Enum.IsDefined(upstream.Tls), "Suppression:Upstream:Tls", "must be None, WhenAvailable or Required");
        problems.Check(upstream.Timeout >= TimeSpan.FromSeconds(1), "Suppression:Upstream:Timeout", "must be at least 00:00:01");
        problems.Check(upstream.RetryAttempts is >= 0 and <= 10, "Suppression:Upstream:RetryAttempts", "must be between 0 and 10");
        problems.Check(upstream.RetryBudget >= TimeSpan.FromSeconds(1), "Suppression:Upstream:RetryBudget", "must be at least 00:00:01");
        problems.Check(upstream.MaxIdleConnections >= 0, "Suppression:Upstream:MaxIdleConnections", "must not be negative");
        problems.Check(upstream.CircuitFailureRatio is > 0 and <= 1, "Suppression:Upstream:CircuitFailureRatio", "must be above 0 and at most 1");
        problems.Check(upstream.CircuitMinimumThroughput >= 2, "Suppression:Upstream:CircuitMinimumThroughput", "must be at least 2");
        problems.Check(upstream.CircuitSamplingDuration >= TimeSpan.FromMilliseconds(500), "Suppression:Upstream:CircuitSamplingDuration", "must be at least 00:00:00.5");
        problems.Check(upstream.CircuitBreakDuration >= TimeSpan.FromMilliseconds(500), "Suppression:Upstream:CircuitBreakDuration", "must be at least 00:00:00.5");
        problems.Check(string.IsNullOrEmpty(upstream.Password) || !string.IsNullOrEmpty(upstream.Username), "Suppression:Upstream:Password", "is set but Suppression:Upstream:Username is not");
    }

    private static void ValidateFeedback(FeedbackOptions feedback, ConfigurationProblems problems)
    {
        foreach (var address in feedback.Addresses ?? [])
        {
            problems.Check(AddressNormalizer.TryNormalize(address, out _, out _), "Suppression:Feedback:Addresses", $"'{address}' is not an address");
        }

        problems.Check(feedback.SoftBounceLimit >= 1, "Suppression:Feedback:SoftBounceLimit", "must be at least 1");
        problems.Check(feedback.MaxReportRecipients >= 1, "Suppression:Feedback:MaxReportRecipients", "must be at least 1");
        problems.Check(feedback.MaxKeptPerSource >= 1, "Suppression:Feedback:MaxKeptPerSource", "must be at least 1");
        problems.Check(feedback.ProviderFailuresPerMinute >= 1, "Suppression:Feedback:ProviderFailuresPerMinute", "must be at least 1");
        problems.Check(feedback.KeptPerSourceWindow >= TimeSpan.FromMinutes(1), "Suppression:Feedback:KeptPerSourceWindow", "must be at least 00:01:00");
        problems.Check(feedback.SoftBounceWindow >= TimeSpan.FromMinutes(1), "Suppression:Feedback:SoftBounceWindow", "must be at least 00:01:00");
        problems.Check(TenantOptionsValidation.IsReturnPathDomain(feedback.ReturnPathDomain), "Suppression:Feedback:ReturnPathDomain", $"'{feedback.ReturnPathDomain}' is not a domain name");
        problems.Check(feedback.ReturnPathValidity >= TimeSpan.FromDays(1) && feedback.ReturnPathValidity <= TimeSpan.FromDays(365), "Suppression:Feedback:ReturnPathValidity",
            "must be between 1.00:00:00 and 365.00:00:00 (the tag counts whole days)");
        problems.Check(Enum.IsDefined(feedback.Unauthenticated), "Suppression:Feedback:Unauthenticated", "must be Review or Act");
        problems.Check(feedback.ReviewRetention >= TimeSpan.FromDays(1) && feedback.ReviewRetention <= TimeSpan.FromDays(365), "Suppression:Feedback:ReviewRetention",
            "must be between 1.00:00:00 and 365.00:00:00");
    }
}
