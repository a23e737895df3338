namespace Suppression.Gateway.Hosting;

/// <summary>
/// Start-up's log events (1000-1999): the gateway ready, configuration worth a warning, secrets
/// generated into the data directory. The ids are a contract (docs/operations.md, Log events): never
/// reused, never renumbered.
/// </summary>
internal static partial class HostingLog
{
    // 1000-1009: the host and its configuration.
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Suppression Gateway ready: SMTP on {SmtpAddress}:{SmtpPort}, HTTP on {HttpUrls}")]
    public static partial void GatewayReady(this ILogger logger, string smtpAddress, int smtpPort, string httpUrls);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "SMTP users are configured but AUTH is only offered after STARTTLS and no certificate is set (Suppression:Smtp:CertificatePath): nobody can log in")]
    public static partial void SmtpUsersWithoutCertificate(this ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Suppression:Dkim:Signers:{Index} ({Domain}) has no Tenants: it signs only mail relayed for no tenant; list the tenants whose mail it signs in its Tenants key")]
    public static partial void DkimSignerWithoutTenants(this ILogger logger, int index, string domain);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Suppression:Feedback:Unauthenticated is Act: any bounce or complaint mailed to a feedback address suppresses the addresses it names, so anyone can suppress anyone; set it to Review to hold such reports for a person")]
    public static partial void UnauthenticatedFeedbackActs(this ILogger logger);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning,
        Message = "The temporary directory {Directory} is not writable ({Problem}): messages over Suppression:Smtp:MemoryBufferBytes will be deferred (451 4.3.1). Mount a writable directory there or set TMPDIR")]
    public static partial void TemporaryDirectoryNotWritable(this ILogger logger, string directory, string problem);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning,
        Message = "Suppression:PublicBaseUrl is {PublicBaseUrl}: mailbox providers offer one-click unsubscribe only for https links (RFC 8058 3.1)")]
    public static partial void PublicBaseUrlNotHttps(this ILogger logger, string publicBaseUrl);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "No mailto unsubscribe link: '{MailtoAddress}' is not a plain address; set Suppression:Unsubscribe:MailtoAddress")]
    public static partial void MailtoAddressUnfit(this ILogger logger, string mailtoAddress);

    // 1010-1019: secrets generated because none were configured.
    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning,
        Message = "No Suppression:Admin:ApiKeys configured: generated an admin API key in {Path}. Configure keys explicitly in production")]
    public static partial void AdminKeyGenerated(this ILogger logger, string path);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning,
        Message = "No Suppression:Tokens:Keys configured: generated an unsubscribe token key in {Path}. Several gateway instances must share the same keys (copy this file's line into Suppression:Tokens:Keys on each), or links issued by one are refused by the others")]
    public static partial void TokenKeyGenerated(this ILogger logger, string path);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning,
        Message = "No Suppression:Audit:Key configured: generated the audit trail's key in {Path}. Back it up, and give every gateway instance the same key (Suppression:Audit:Key), or their records will not verify")]
    public static partial void AuditKeyGenerated(this ILogger logger, string path);
}
