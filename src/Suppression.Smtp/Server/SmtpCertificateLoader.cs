using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Suppression.Smtp.Server;

/// <summary>Loads the STARTTLS certificate: PEM (key in the same file or in CertificateKeyPath) or PFX.</summary>
public static class SmtpCertificateLoader
{
    /// <summary>The certificate, or null when none is configured; only called once the options were validated.</summary>
    public static X509Certificate2? Load(SmtpServerOptions options) =>
        TryLoad(options, out var certificate, out var problem) ? certificate : throw new InvalidOperationException(problem);

    /// <param name="problem">One line naming the key, as configuration errors are reported.</param>
    public static bool TryLoad(SmtpServerOptions options, out X509Certificate2? certificate, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        certificate = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return true;
        }

        try
        {
            var isPem = File.ReadAllText(options.CertificatePath).Contains("-----BEGIN", StringComparison.Ordinal);
            var loaded = isPem
                ? X509Certificate2.CreateFromPemFile(options.CertificatePath, options.CertificateKeyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
            if (!loaded.HasPrivateKey)
            {
                loaded.Dispose();
                problem = "Suppression:Smtp:CertificateKeyPath: the certificate has no private key; give the key file";
                return false;
            }

            certificate = loaded;
            return true;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or ArgumentException)
        {
            problem = $"Suppression:Smtp:CertificatePath: cannot load the certificate: {exception.Message}";
            return false;
        }
    }
}
