using Suppression.Audit;
using Suppression.Gateway.Configuration;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Feedback;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Hosting;

/// <summary>
/// What start-up says beyond errors: settings that work but probably not as meant, generated
/// secrets, and the line that says the gateway is ready.
/// </summary>
public static class StartUpReport
{
    public static WebApplication ReportStartUp(this WebApplication app, GatewayConfiguration settings)
    {
        // Resolved now rather than at the first click: a generated key is written at start-up, and an unreadable key file stops it.
        app.Services.GetRequiredService<UnsubscribeTokenCodec>();
        app.Services.GetRequiredService<AuditKey>();

        // Likewise the stamping and DKIM set-up, so its warnings (an http base URL) come at start-up.
        app.Services.GetRequiredService<RecipientCopyWriter>();
        var smtp = settings.Smtp;
        if (smtp.Tenants.Any(tenant => tenant.SmtpUsers is { Length: > 0 }) && string.IsNullOrWhiteSpace(smtp.Smtp.CertificatePath) && !smtp.Smtp.AllowPlaintextAuth)
        {
            // Not an error (the users may be staged ahead of the certificate), but nobody can log in yet.
            app.Logger.SmtpUsersWithoutCertificate();
        }

        for (var i = 0; i < smtp.Dkim.Signers.Length; i++)
        {
            if (smtp.Tenants.Length > 0 && smtp.Dkim.Signers[i].Tenants is not { Length: > 0 })
            {
                // Not an error (the operator's own untenanted mail may use it), but tenants' mail from
                // that domain now goes unsigned, which its DMARC reports will show.
                app.Logger.DkimSignerWithoutTenants(i, smtp.Dkim.Signers[i].Domain);
            }
        }

        if (smtp.Feedback.Unauthenticated == UnauthenticatedFeedback.Act && smtp.Feedback.Addresses is { Length: > 0 })
        {
            app.Logger.UnauthenticatedFeedbackActs();
        }

        if (SpoolDirectoryProblem(Path.GetTempPath()) is { } problem)
        {
            // Not fatal: messages up to MemoryBufferBytes still flow. With a read-only root
            // filesystem (deploy/) this is a missing writable /tmp mount.
            app.Logger.TemporaryDirectoryNotWritable(Path.GetTempPath(), problem);
        }

        app.Lifetime.ApplicationStarted.Register(() => app.Logger.GatewayReady(
            smtp.Smtp.Address, smtp.Smtp.Port, string.Join(", ", settings.HttpUrls.Select(url => url.GetLeftPart(UriPartial.Authority)))));
        return app;
    }

    private static string? SpoolDirectoryProblem(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, "suppression-spool-probe-" + Guid.NewGuid().ToString("N") + ".tmp");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
    }
}
