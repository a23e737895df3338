using System.Security.Cryptography.X509Certificates;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>SNS over HTTPS: certificates fetched once per URL and kept a while in a bounded cache (<see cref="SnsCertificateCache"/>), redirects not followed.</summary>
public sealed class SnsHttpEndpoints(TimeProvider time) : ISnsEndpoints, IDisposable
{
    private const int MaxCertificateBytes = 64 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(15), MaxResponseContentBufferSize = MaxCertificateBytes };
    private readonly SnsCertificateCache _certificates = new(time);

    public Task<X509Certificate2> SigningCertificateAsync(Uri url, CancellationToken cancellationToken) =>
        _certificates.GetAsync(url, FetchAsync, cancellationToken);

    public async Task ConfirmSubscriptionAsync(Uri subscribeUrl, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(subscribeUrl, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();

    private async Task<X509Certificate2> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        // The buffer limit refuses a response over MaxCertificateBytes (HttpRequestException).
        using var response = await _http.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        return X509Certificate2.CreateFromPem(await response.Content.ReadAsStringAsync(cancellationToken));
    }

}
