using System.Net;
using System.Text.Json;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Console;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// Who gets a 429 at /u/: a valid link is limited by the link and its recipient, never by the client
/// address (a mailbox provider posts every recipient's one-click from a few addresses, and behind a
/// proxy everyone shares one); junk by client address. Forwarded headers count only from the
/// configured proxies.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class UnsubscribeLimitTests
{
    private static readonly Dictionary<string, string> OneClickBody = new() { ["List-Unsubscribe"] = "One-Click" };
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress ProxyInNetwork = IPAddress.Parse("127.0.0.5");

    [Fact]
    public async Task A_mailbox_provider_posting_120_one_clicks_for_120_recipients_from_one_address_loses_none()
    {
        var key = NewKeySetting();
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string> { ["Suppression:Tokens:Keys:0"] = key });
        var codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([key]));
        using var provider = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        var recipients = Enumerable.Range(0, 120).Select(i => Mail.UniqueAddress("provider-" + i)).ToList();

        // As a provider sends them: several at once, from one address.
        var statuses = new List<HttpStatusCode>();
        foreach (var wave in recipients.Chunk(8))
        {
            statuses.AddRange(await Task.WhenAll(wave.Select(async recipient =>
            {
                using var response = await provider.PostAsync(new Uri("/u/" + Mint(codec, recipient, "acme"), UriKind.Relative), new FormUrlEncodedContent(OneClickBody));
                return response.StatusCode;
            })));
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        foreach (var recipient in recipients.Where((_, i) => i % 20 == 0))
        {
            Assert.Equal(["tenant:acme"], await ScopesAsync(gateway, recipient));
        }
    }

    [Fact]
    public async Task Junk_from_one_address_is_limited_there_and_never_costs_a_real_recipient_their_one_click()
    {
        var key = NewKeySetting();
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Tokens:Keys:0"] = key,
            ["Suppression:Unsubscribe:RequestsPerMinute"] = "5",
        });
        var codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([key]));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        var genuine = Mint(codec, Mail.UniqueAddress("genuine"), "acme");
        var altered = genuine[..30] + (genuine[30] == 'A' ? 'B' : 'A') + genuine[31..];

        var junk = new List<HttpStatusCode>();
        foreach (var path in Enumerable.Range(0, 10).Select(i => "/u/junk-" + i).Append("/u/" + altered).Append("/u/" + Mint(codec, "old@example.com", "acme", DateTimeOffset.UtcNow.AddDays(-61))))
        {
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(OneClickBody));
            junk.Add(response.StatusCode);
        }

        Assert.Equal(5, junk.Count(status => status == HttpStatusCode.BadRequest));
        Assert.Equal(7, junk.Count(status => status == HttpStatusCode.TooManyRequests));

        // The same address, with a real link, in the same minute.
        using var real = await client.PostAsync(new Uri("/u/" + genuine, UriKind.Relative), new FormUrlEncodedContent(OneClickBody));
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        using var page = await client.GetAsync(new Uri("/u/" + Mint(codec, Mail.UniqueAddress("reader"), "acme"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_valid_link_is_limited_per_link_and_per_recipient()
    {
        var key = NewKeySetting();
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Tokens:Keys:0"] = key,
            ["Suppression:Unsubscribe:RequestsPerLinkPerMinute"] = "3",
            ["Suppression:Unsubscribe:RequestsPerRecipientPerMinute"] = "5",
        });
        var codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([key]));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        var recipient = Mail.UniqueAddress("hammered");
        var first = Mint(codec, recipient, "acme");
        var second = Mint(codec, recipient, "acme", DateTimeOffset.UtcNow.AddMinutes(-5));

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            await StatusesAsync(client, first, 4));

        // Another link of the same recipient has its own share, up to the recipient's.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await StatusesAsync(client, second, 3));

        // Nobody else is affected.
        Assert.Equal([HttpStatusCode.OK], await StatusesAsync(client, Mint(codec, Mail.UniqueAddress("bystander"), "acme"), 1));

        // An operator sees valid links being refused: a provider retrying hard, or a captured link replayed.
        using var metrics = await gateway.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("suppression_unsubscribe_limited_total\\{[^}]*link=\"valid\"[^}]*\\} [1-9]", await metrics.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_configured_proxies()
    {
        var key = NewKeySetting();
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Tokens:Keys:0"] = key,
            ["Suppression:Http:KnownProxies:0"] = Proxy.ToString(),
            ["Suppression:Http:KnownNetworks:0"] = "127.0.0.4/31",
            ["Suppression:Unsubscribe:RequestsPerMinute"] = "2",
        });
        var codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([key]));
        var baseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}");
        using var direct = new HttpClient { BaseAddress = baseAddress };
        using var proxy = new HttpClient(LoopbackSource.Handler(Proxy)) { BaseAddress = baseAddress };
        using var networkProxy = new HttpClient(LoopbackSource.Handler(ProxyInNetwork)) { BaseAddress = baseAddress };

        var spoofer = Mail.UniqueAddress("spoofed");
        await OneClickAsync(direct, Mint(codec, spoofer, "acme"), forwardedFor: "198.51.100.7");
        var forwarded = Mail.UniqueAddress("forwarded");
        await OneClickAsync(proxy, Mint(codec, forwarded, "acme"), forwardedFor: "192.0.2.1, 198.51.100.8");
        var fromNetwork = Mail.UniqueAddress("network");
        await OneClickAsync(networkProxy, Mint(codec, fromNetwork, "acme"), forwardedFor: "198.51.100.9");

        Assert.Equal("127.0.0.1", ClientIpOf(Assert.Single(await AuditTrail.ForAsync(gateway, spoofer))));
        Assert.Equal("198.51.100.8", ClientIpOf(Assert.Single(await AuditTrail.ForAsync(gateway, forwarded))));
        Assert.Equal("198.51.100.9", ClientIpOf(Assert.Single(await AuditTrail.ForAsync(gateway, fromNetwork))));

        // Behind the proxy, junk is limited per forwarded client: one client's flood leaves the others alone.
        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests],
            await JunkAsync(proxy, "203.0.113.1", 3));
        Assert.Equal([HttpStatusCode.BadRequest], await JunkAsync(proxy, "203.0.113.2", 1));

        // A client that sends X-Forwarded-For itself does not escape its own limit.
        var spoofed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            spoofed.AddRange(await JunkAsync(direct, "203.0.113." + (10 + i), 1));
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], spoofed);
    }

    [Fact]
    public async Task The_console_cookies_are_secure_behind_a_configured_https_proxy_and_only_there()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Http:KnownProxies:0"] = Proxy.ToString(),
        });

        var behindProxy = await SignInCookiesAsync(gateway, Proxy);
        Assert.All(behindProxy, cookie => Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(behindProxy, cookie => cookie.StartsWith(ConsoleClient.SessionCookieName + "=", StringComparison.Ordinal));

        // The same header from a client that is not a configured proxy is ignored.
        var direct = await SignInCookiesAsync(gateway, IPAddress.Loopback);
        Assert.Contains(direct, cookie => cookie.StartsWith(ConsoleClient.SessionCookieName + "=", StringComparison.Ordinal));
        Assert.All(direct, cookie => Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    // Signs in as a browser behind an https-terminating proxy would, handling the cookies itself: a
    // cookie marked Secure is not sent back over http by a cookie container.
    private static async Task<List<string>> SignInCookiesAsync(GatewayInstance gateway, IPAddress from)
    {
        using var handler = LoopbackSource.Handler(from, allowAutoRedirect: false);
        handler.UseCookies = false;
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.30");

        using var form = await client.GetAsync(new Uri("/console/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var cookies = form.Headers.GetValues("Set-Cookie").ToList();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = ConsoleClient.TokenIn(await form.Content.ReadAsStringAsync()),
                ["key"] = GatewayInstance.AdminKey,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies.Select(cookie => cookie.Split(';')[0])));
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        return [.. cookies, .. signedIn.Headers.GetValues("Set-Cookie")];
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, string token, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.PostAsync(new Uri("/u/" + token, UriKind.Relative), new FormUrlEncodedContent(OneClickBody));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static async Task<List<HttpStatusCode>> JunkAsync(HttpClient client, string forwardedFor, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/u/junk-" + i);
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static async Task OneClickAsync(HttpClient client, string token, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/u/" + token) { Content = new FormUrlEncodedContent(OneClickBody) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string? ClientIpOf(JsonElement record) => record.GetProperty("clientIp").GetString();

    private static string NewKeySetting() => "1:" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes));

    private static string Mint(UnsubscribeTokenCodec codec, string address, string? tenant, DateTimeOffset? issuedAt = null) =>
        codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), tenant, null, issuedAt ?? DateTimeOffset.UtcNow));

    private static async Task<List<string>> ScopesAsync(GatewayInstance gateway, string address)
    {
        using var response = await gateway.Http.GetAsync(new Uri("/api/v1/suppressions/" + Uri.EscapeDataString(address), UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("scope").GetString()!).ToList();
    }
}
