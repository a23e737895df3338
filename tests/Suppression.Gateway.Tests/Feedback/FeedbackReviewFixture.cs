using System.Security.Cryptography;
using System.Text;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>
/// Two gateways whose relay networks leave out loopback, so the tests' SMTP client is a stranger:
/// one with the default <c>Suppression:Feedback:Unauthenticated</c> (Review), one with <c>Act</c>.
/// Both hold a token key the tests also hold, to mint the links a genuine complaint returns.
/// </summary>
public sealed class FeedbackReviewFixture : IAsyncLifetime
{
    public const string ComplianceKey = "feedback-review-compliance-key-0123";

    public FeedbackReviewFixture()
    {
        KeySetting = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes));
        Codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([KeySetting]));
    }

    public string KeySetting { get; }

    public UnsubscribeTokenCodec Codec { get; }

    public GatewayInstance Review { get; private set; } = null!;

    public GatewayInstance Act { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Review = await GatewayInstance.StartAsync(redis: null, upstreamPort: null, Settings(unauthenticated: null));
        Act = await GatewayInstance.StartAsync(redis: null, upstreamPort: null, Settings("Act"));
    }

    public async Task DisposeAsync()
    {
        await Review.DisposeAsync();
        await Act.DisposeAsync();
    }

    private Dictionary<string, string> Settings(string? unauthenticated)
    {
        var settings = new Dictionary<string, string>
        {
            ["Suppression:Smtp:RelayNetworks:0"] = "198.51.100.0/24",
            ["Suppression:Tokens:Keys:0"] = KeySetting,
            ["Suppression:Feedback:Addresses:0"] = "bounces@gateway.test",
            ["Suppression:Feedback:Addresses:1"] = "fbl@gateway.test",
            ["Suppression:Compliance:ApiKeys:0"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ComplianceKey))),
        };
        if (unauthenticated is not null)
        {
            settings["Suppression:Feedback:Unauthenticated"] = unauthenticated;
        }

        return settings;
    }
}
