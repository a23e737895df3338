using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Suppression.Gateway.Feedback.Providers;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>Issue 20: a stranger naming ever new certificate URLs cannot grow the gateway's memory, nor make it fetch off SNS's hosts.</summary>
public sealed class SnsCertificateCacheTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    private readonly RSA _key = RSA.Create(2048);
    private readonly List<Uri> _fetched = [];
    private readonly List<X509Certificate2> _made = [];

    [Fact]
    public async Task A_certificate_is_fetched_once_and_again_after_an_hour()
    {
        var cache = new SnsCertificateCache(_clock);
        var url = Url(1);

        var first = await cache.GetAsync(url, FetchAsync, CancellationToken.None);
        var second = await cache.GetAsync(url, FetchAsync, CancellationToken.None);
        _clock.Advance(SnsCertificateCache.Lifetime);
        var third = await cache.GetAsync(url, FetchAsync, CancellationToken.None);

        Assert.Same(first, second);
        Assert.NotSame(first, third);
        Assert.Equal(2, _fetched.Count);
    }

    [Fact]
    public async Task A_thousand_certificate_urls_hold_at_most_sixteen_certificates_and_the_newest_stays()
    {
        var cache = new SnsCertificateCache(_clock);

        for (var index = 0; index < 1000; index++)
        {
            await cache.GetAsync(Url(index), FetchAsync, CancellationToken.None);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(SnsCertificateCache.Capacity, cache.Count);
        await cache.GetAsync(Url(999), FetchAsync, CancellationToken.None);
        Assert.Equal(1000, _fetched.Count);
    }

    [Theory]
    [InlineData("https://attacker.example/cert.pem")]
    [InlineData("http://sns.us-east-1.amazonaws.com/cert.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem")]
    public async Task A_url_off_the_sns_hosts_is_neither_fetched_nor_held(string url)
    {
        var cache = new SnsCertificateCache(_clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(new Uri(url), FetchAsync, CancellationToken.None));

        Assert.Empty(_fetched);
        Assert.Equal(0, cache.Count);
    }

    public void Dispose()
    {
        _made.ForEach(certificate => certificate.Dispose());
        _key.Dispose();
    }

    private static Uri Url(int index) => new($"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-{index:x32}.pem");

    private Task<X509Certificate2> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        _fetched.Add(url);
        var request = new CertificateRequest("CN=sns.amazonaws.com", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(_clock.GetUtcNow().AddDays(-1), _clock.GetUtcNow().AddDays(30));
        _made.Add(certificate);
        return Task.FromResult(certificate);
    }
}
