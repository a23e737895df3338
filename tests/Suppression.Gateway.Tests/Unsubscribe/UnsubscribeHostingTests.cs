using System.Net;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Unsubscribe;
using Suppression.Redis.Embedded;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>/u/{token} behaviours that need a gateway of their own: rate limit, generated key, store outage.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class UnsubscribeHostingTests
{
    private static readonly Dictionary<string, string> OneClickBody = new() { ["List-Unsubscribe"] = "One-Click" };

    [Fact]
    public async Task Requests_over_the_per_minute_limit_get_a_429_page_with_retry_after()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Unsubscribe:RequestsPerMinute"] = "3",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync(new Uri("/u/not-a-token", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var limited = await client.PostAsync(new Uri("/u/not-a-token", UriKind.Relative), new FormUrlEncodedContent(OneClickBody));

        var page = await UnsubscribeApiTests.PageAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many requests", page, StringComparison.Ordinal);
        Assert.NotNull(limited.Headers.RetryAfter);
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Without_configured_keys_a_key_file_is_generated_once_and_links_survive_a_restart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("suppression-token-keys-").FullName;
        try
        {
            var keyFile = Path.Combine(dataDirectory, TokenKeyFile.FileName);
            string token;
            await using (var first = await GatewayInstance.StartAsync(null, null, dataDirectory: dataDirectory))
            {
                Assert.True(File.Exists(keyFile), "no token key file generated");
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                }

                var codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse(File.ReadAllLines(keyFile)));
                token = codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(Mail.UniqueAddress("kept")), "acme", null, DateTimeOffset.UtcNow));
                using var page = await first.Http.GetAsync(new Uri("/u/" + token, UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            var generated = await File.ReadAllTextAsync(keyFile);
            await using var second = await GatewayInstance.StartAsync(null, null, dataDirectory: dataDirectory);

            Assert.Equal(generated, await File.ReadAllTextAsync(keyFile));
            using var afterRestart = await second.Http.PostAsync(new Uri("/u/" + token, UriKind.Relative), new FormUrlEncodedContent(OneClickBody));
            await UnsubscribeApiTests.PageAsync(afterRestart, HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Post_while_redis_is_down_is_a_503_page_with_retry_after_and_works_once_it_is_back()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("suppression-unsubscribe-outage-").FullName;
        var port = FreePort.Next();
        var store = await EmbeddedRedisServer.StartAsync(storeDirectory, port, null, CancellationToken.None);
        await using var gateway = await GatewayInstance.StartAsync(
            $"127.0.0.1:{port},password={store.Password},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000", null);
        await gateway.WarmUpAsync();
        var codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse(File.ReadAllLines(Path.Combine(gateway.DataDirectory, TokenKeyFile.FileName))));
        var address = Mail.UniqueAddress("patient");
        var token = codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), null, null, DateTimeOffset.UtcNow));
        var path = new Uri("/u/" + token, UriKind.Relative);

        await store.DisposeAsync();
        using (var refused = await gateway.Http.PostAsync(path, new FormUrlEncodedContent(OneClickBody)))
        {
            var page = await UnsubscribeApiTests.PageAsync(refused, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("not unsubscribed yet", page, StringComparison.Ordinal);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        await using var restarted = await EmbeddedRedisServer.StartAsync(storeDirectory, port, null, CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            using var response = await gateway.Http.PostAsync(path, new FormUrlEncodedContent(OneClickBody));
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30)), "unsubscribe did not work again after Redis came back");
        using var lookup = await gateway.Http.GetAsync(new Uri("/api/v1/suppressions/" + Uri.EscapeDataString(address), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }
}
