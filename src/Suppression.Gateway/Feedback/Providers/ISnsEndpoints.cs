using System.Security.Cryptography.X509Certificates;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// What the gateway fetches from Amazon SNS: the certificate a message names as its signer, and the
/// subscription confirmation URL. Both are called only with URLs already checked to be https on an
/// Amazon host (<see cref="SnsMessage"/>); tests supply their own.
/// </summary>
public interface ISnsEndpoints
{
    Task<X509Certificate2> SigningCertificateAsync(Uri url, CancellationToken cancellationToken);

    Task ConfirmSubscriptionAsync(Uri subscribeUrl, CancellationToken cancellationToken);
}
