using System.Security.Cryptography;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// One gateway per backend configured with a token key the tests also hold, so they can mint links
/// as the stamping code will. The rate limit is raised out of the way; its own test configures a small one.
/// </summary>
public sealed class UnsubscribeFixture : IAsyncLifetime
{
    private readonly Dictionary<string, GatewayInstance> _gateways = [];
    private readonly List<CapturedLog> _logs = [];
    private readonly string _keyDirectory = Path.Combine(Path.GetTempPath(), "unsubscribe-fixture-" + Guid.NewGuid().ToString("N"));

    /// <summary>The signing domain: mail From this domain is DKIM-signed by the gateway.</summary>
    public const string SignedDomain = "sender.test";

    /// <summary>Signed for tenant acme only (Suppression:Dkim:Signers:1:Tenants).</summary>
    public const string AcmeSignedDomain = "acme.test";

    /// <summary>Tenant acme's Suppression:Tenants:0:FeedbackId, which every copy of its mail carries.</summary>
    public const string AcmeFeedbackId = "spring:newsletter:acme";

    /// <summary>Tenant outdoor's DisplayName: the pages name it (and encode its ampersand).</summary>
    public const string OutdoorName = "Outdoor & Co";

    /// <summary>Tenant outdoor's button colour: dark green, 9.9:1 against the buttons' white text.</summary>
    public const string OutdoorAccent = "#14532d";

    /// <summary>Tenant outdoor's logo: a 1x1 PNG, served by the gateway from this fixture's file.</summary>
    public static byte[] OutdoorLogo { get; } = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public string OutdoorLogoFile { get; }

    public UnsubscribeFixture()
    {
        KeySetting = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes));
        using var dkimKey = RSA.Create(2048);
        Directory.CreateDirectory(_keyDirectory);
        DkimKeyFile = Path.Combine(_keyDirectory, "dkim.pem");
        File.WriteAllText(DkimKeyFile, dkimKey.ExportRSAPrivateKeyPem());
        DkimTxtRecord = $"v=DKIM1; k=rsa; p={Convert.ToBase64String(dkimKey.ExportSubjectPublicKeyInfo())}";
        OutdoorLogoFile = Path.Combine(_keyDirectory, "outdoor-logo.png");
        File.WriteAllBytes(OutdoorLogoFile, OutdoorLogo);
        Codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([KeySetting]));
        Client = new(new NoServerErrorsHandler(() => string.Join(Environment.NewLine, _logs)));
    }

    public string KeySetting { get; }

    public UnsubscribeTokenCodec Codec { get; }

    public TestSmtpSink Sink { get; } = new();

    public string DkimKeyFile { get; }

    /// <summary>The TXT record that would publish the public key at sel._domainkey.sender.test.</summary>
    public string DkimTxtRecord { get; }

    /// <summary>A client without credentials (as a recipient's browser or mail client) that fails on any 5xx.</summary>
    public HttpClient Client { get; }

    public async Task<GatewayInstance> GatewayAsync(string backend)
    {
        if (!_gateways.TryGetValue(backend, out var gateway))
        {
            gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), Sink.Port, new Dictionary<string, string>
            {
                ["Suppression:Tokens:Keys:0"] = KeySetting,
                ["Suppression:Unsubscribe:RequestsPerMinute"] = "100000",
                ["Suppression:Feedback:Addresses:0"] = "bounces@gateway.test",
                ["Suppression:Feedback:Addresses:1"] = "fbl@gateway.test",
                ["Suppression:Feedback:SoftBounceLimit"] = "3",

                // These tests read what a report does once it acts; FeedbackReviewTests cover the
                // default, under which a report from a feedback address waits for a person.
                ["Suppression:Feedback:Unauthenticated"] = "Act",
                ["Suppression:Tenants:0:Id"] = "acme",
                ["Suppression:Tenants:0:AllowTransactional"] = "true",
                ["Suppression:Tenants:0:FeedbackId"] = AcmeFeedbackId,
                ["Suppression:Tenants:1:Id"] = "bank",
                ["Suppression:Tenants:1:DefaultClass"] = "Transactional",
                ["Suppression:Tenants:1:AllowTransactional"] = "true",
                ["Suppression:Tenants:2:Id"] = "club",
                ["Suppression:Tenants:2:Topics:0:Id"] = "weekly.club.example",
                ["Suppression:Tenants:2:Topics:1:Id"] = "news.club.example",

                // A sender with a catalogue (PreferencePageTests): four lists, one named but hidden, one unnamed.
                ["Suppression:Tenants:3:Id"] = "outdoor",
                ["Suppression:Tenants:3:DisplayName"] = OutdoorName,
                ["Suppression:Tenants:3:PrivacyUrl"] = "https://outdoor.example/privacy",
                ["Suppression:Tenants:3:AccentColor"] = OutdoorAccent,
                ["Suppression:Tenants:3:LogoFile"] = OutdoorLogoFile,
                ["Suppression:Tenants:3:Topics:0:Id"] = "deals",
                ["Suppression:Tenants:3:Topics:0:Name"] = "Deals",
                ["Suppression:Tenants:3:Topics:0:Name:de"] = "Angebote",
                ["Suppression:Tenants:3:Topics:0:Description"] = "Weekly offers on gear",
                ["Suppression:Tenants:3:Topics:1:Id"] = "news",
                ["Suppression:Tenants:3:Topics:1:Name"] = "News",
                ["Suppression:Tenants:3:Topics:2:Id"] = "tips",
                ["Suppression:Tenants:3:Topics:2:Name"] = "Trail tips",
                ["Suppression:Tenants:3:Topics:3:Id"] = "events",
                ["Suppression:Tenants:3:Topics:3:Name"] = "Events",
                ["Suppression:Tenants:3:Topics:4:Id"] = "pilot-beta",
                ["Suppression:Tenants:3:Topics:4:Name"] = "Secret pilot",
                ["Suppression:Tenants:3:Topics:4:Visible"] = "false",
                ["Suppression:Tenants:3:Topics:5:Id"] = "ops-internal",

                // A list whose mail is transactional unless it says otherwise (Topics:M:Class).
                ["Suppression:Tenants:4:Id"] = "shop",
                ["Suppression:Tenants:4:AllowTransactional"] = "true",
                ["Suppression:Tenants:4:Topics:0:Id"] = "news",
                ["Suppression:Tenants:4:Topics:0:Name"] = "News",
                ["Suppression:Tenants:4:Topics:1:Id"] = "receipts",
                ["Suppression:Tenants:4:Topics:1:Name"] = "Receipts",
                ["Suppression:Tenants:4:Topics:1:Class"] = "Transactional",
                ["Suppression:Dkim:Signers:0:Domain"] = SignedDomain,
                ["Suppression:Dkim:Signers:0:Selector"] = "sel",
                ["Suppression:Dkim:Signers:0:PrivateKeyFile"] = DkimKeyFile,
                ["Suppression:Dkim:Signers:1:Domain"] = AcmeSignedDomain,
                ["Suppression:Dkim:Signers:1:Selector"] = "sel",
                ["Suppression:Dkim:Signers:1:PrivateKeyFile"] = DkimKeyFile,
                ["Suppression:Dkim:Signers:1:Tenants:0"] = "acme",
            });
            _gateways[backend] = gateway;
            _logs.Add(CapturedLog.AttachTo(gateway));
            await gateway.WarmUpAsync();
        }

        Sink.Messages.Clear();
        return gateway;
    }

    public string Mint(string address, string? tenant = null, string? topic = null, DateTimeOffset? issuedAt = null) =>
        Codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), tenant, topic, issuedAt ?? DateTimeOffset.UtcNow));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        foreach (var gateway in _gateways.Values)
        {
            await gateway.DisposeAsync();
        }

        await Sink.DisposeAsync();
        Directory.Delete(_keyDirectory, recursive: true);
    }
}
