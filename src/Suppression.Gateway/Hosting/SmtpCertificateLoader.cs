using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Suppression.Smtp.Server;

namespace Suppression.Gateway.Hosting;

/// <summary>Loads the STARTTLS certificate: PEM (key in the same file or in CertificateKeyPath) or PFX.</summary>
public static class SmtpCertificateLoader
{
    public static X509Certificate2? Load(SmtpServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return null;
        }

        try
        {
            var isPem = File.ReadAllText(options.CertificatePath).Contains("-----BEGIN", StringComparison.Ordinal);
            var certificate = isPem
                ? X509Certificate2.CreateFromPemFile(options.CertificatePath, options.CertificateKeyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
            if (!certificate.HasPrivateKey)
            {
                throw new GatewayConfigurationException(["Suppression:Smtp:CertificateKeyPath: the certificate has no private key; give the key file"]);
            }

            return certificate;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or ArgumentException)
        {
            throw new GatewayConfigurationException([$"Suppression:Smtp:CertificatePath: cannot load the certificate: {exception.Message}"]);
        }
    }
}
