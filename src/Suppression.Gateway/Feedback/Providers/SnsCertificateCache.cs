using System.Security.Cryptography.X509Certificates;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// The SNS signing certificates fetched lately, by URL: at most <see cref="Capacity"/>, each for
/// <see cref="Lifetime"/>. The URL comes from a request anyone can send, so what it may hold is fixed:
/// only URLs on SNS's own hosts (<see cref="SnsMessage.IsSnsHost"/>) are fetched at all, and a full
/// cache drops its oldest certificate rather than grow. SNS signs with one certificate per region at a
/// time, so sixteen cover every region a gateway's topics live in.
/// </summary>
public sealed class SnsCertificateCache(TimeProvider time)
{
    public const int Capacity = 16;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<Uri, (X509Certificate2 Certificate, DateTimeOffset Fetched)> _certificates = [];

    /// <summary>How many certificates are held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _certificates.Count;
            }
        }
    }

    /// <summary>The certificate held for <paramref name="url"/>, or the one <paramref name="fetch"/> brings (then held).</summary>
    /// <exception cref="InvalidOperationException">The URL is not https on an SNS host: nothing is fetched.</exception>
    public async Task<X509Certificate2> GetAsync(Uri url, Func<Uri, CancellationToken, Task<X509Certificate2>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(fetch);
        if (!SnsMessage.IsSnsHost(url.OriginalString, out _))
        {
            throw new InvalidOperationException("A signing certificate is fetched only from https on an sns.<region>.amazonaws.com host.");
        }

        lock (_gate)
        {
            if (_certificates.TryGetValue(url, out var held) && time.GetUtcNow() - held.Fetched < Lifetime)
            {
                return held.Certificate;
            }
        }

        var certificate = await fetch(url, cancellationToken);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _certificates.Remove(url);
            foreach (var expired in _certificates.Where(entry => now - entry.Value.Fetched >= Lifetime).Select(entry => entry.Key).ToList())
            {
                _certificates.Remove(expired);
            }

            if (_certificates.Count >= Capacity)
            {
                _certificates.Remove(_certificates.MinBy(entry => entry.Value.Fetched).Key);
            }

            // A certificate dropped here is not disposed: a verification may still hold it; the GC frees it.
            _certificates[url] = (certificate, now);
        }

        return certificate;
    }
}
