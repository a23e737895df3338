using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Suppression.Gateway.Feedback.Providers;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>SNS as the tests play it: a self-made signing key and certificate, and a record of the URLs the gateway fetched.</summary>
public sealed class TestSnsEndpoints : ISnsEndpoints, IDisposable
{
    public TestSnsEndpoints()
    {
        Key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sns.amazonaws.com", Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public RSA Key { get; }

    public X509Certificate2 Certificate { get; }

    public ConcurrentQueue<Uri> CertificatesFetched { get; } = new();

    public ConcurrentQueue<Uri> SubscriptionsConfirmed { get; } = new();

    public Task<X509Certificate2> SigningCertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        CertificatesFetched.Enqueue(url);
        return Task.FromResult(Certificate);
    }

    public Task ConfirmSubscriptionAsync(Uri subscribeUrl, CancellationToken cancellationToken)
    {
        SubscriptionsConfirmed.Enqueue(subscribeUrl);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
