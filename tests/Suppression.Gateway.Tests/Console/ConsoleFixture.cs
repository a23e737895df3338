using System.Net;
using System.Security.Cryptography;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// One gateway per backend for the console tests, with a compliance key to sign in with and a token
/// key the tests hold, so they can unsubscribe an address for real (a one-click POST to its link)
/// before sending it mail that the gateway blocks, and a feedback address whose reports wait for review.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string ComplianceKey = "console-compliance-key-0123456789";

    public const string FeedbackAddress = "bounces@gateway.test";

    private readonly Dictionary<string, GatewayInstance> _gateways = [];
    private readonly List<CapturedLog> _logs = [];
    private readonly UnsubscribeTokenCodec _codec;
    private readonly string _tokenKey = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes));

    public ConsoleFixture() => _codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([_tokenKey]));

    /// <summary>What the gateways logged at warning level and above, for a failing test's message.</summary>
    public string ServerLog => string.Join(Environment.NewLine, _logs);

    public async Task<GatewayInstance> GatewayAsync(string backend)
    {
        if (!_gateways.TryGetValue(backend, out var gateway))
        {
            gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), upstreamPort: null, new Dictionary<string, string>
            {
                ["Suppression:Compliance:ApiKeys:0"] = ComplianceKey,
                ["Suppression:Tokens:Keys:0"] = _tokenKey,
                ["Suppression:Unsubscribe:RequestsPerMinute"] = "100000",

                // Reports mailed here by the tests' loopback client prove nothing, so they wait in the review queue.
                ["Suppression:Feedback:Addresses:0"] = FeedbackAddress,
            });
            _gateways[backend] = gateway;
            _logs.Add(CapturedLog.AttachTo(gateway));
            await gateway.WarmUpAsync();
        }

        return gateway;
    }

    public ConsoleClient Client(GatewayInstance gateway, IPAddress? from = null) => new(gateway, from, () => ServerLog);

    /// <summary>
    /// Unsubscribes <paramref name="address"/> with the one-click POST a mailbox provider sends to the
    /// link, then sends it marketing mail, which the gateway blocks.
    /// </summary>
    /// <returns>The blocked message's Message-ID.</returns>
    public async Task<string> UnsubscribeThenBlockAsync(GatewayInstance gateway, string address)
    {
        var token = _codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), null, null, DateTimeOffset.UtcNow));
        using (var http = new HttpClient())
        using (var unsubscribed = await http.PostAsync(
            new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/{token}"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        }

        var message = Mail.Create("news@sender.test", [address]);
        await Mail.SendAsync(gateway.SmtpPort, message);
        return message.MessageId ?? throw new InvalidOperationException("Mail.Create sets a Message-ID");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways.Values)
        {
            await gateway.DisposeAsync();
        }
    }
}
