using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>SNS over HTTPS: certificates fetched once per URL and kept (SNS rotates them by URL), redirects not followed.</summary>
public sealed class SnsHttpEndpoints : ISnsEndpoints, IDisposable
{
    private const int MaxCertificateBytes = 64 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(15), MaxResponseContentBufferSize = MaxCertificateBytes };
    private readonly ConcurrentDictionary<Uri, X509Certificate2> _certificates = new();

    public async Task<X509Certificate2> SigningCertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        if (_certificates.TryGetValue(url, out var known))
        {
            return known;
        }

        // The buffer limit refuses a response over MaxCertificateBytes (HttpRequestException).
        using var response = await _http.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        var certificate = X509Certificate2.CreateFromPem(await response.Content.ReadAsStringAsync(cancellationToken));
        return _certificates.GetOrAdd(url, certificate);
    }

    public async Task ConfirmSubscriptionAsync(Uri subscribeUrl, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(subscribeUrl, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var certificate in _certificates.Values)
        {
            certificate.Dispose();
        }
    }
}
