using Suppression.Gateway.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>Our signatures against the official Standard Webhooks verifier, not against our own reading of the spec.</summary>
public sealed class WebhookSignerTests
{
    private static readonly string OldSecret = WebhookOptionsTests.Secret;
    private static readonly string NewSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(100, 48).Select(i => (byte)i).ToArray());

    private static readonly string[] Bodies =
    [
        """{"type":"unsubscribe.received","timestamp":"2026-12-07T16:00:00Z","data":{"id":"evt_abc","address":"a@b.example"}}""",
        """{"type":"erasure.completed","timestamp":"2026-12-07T16:00:00Z","data":{"id":"evt_é€😀","reason":"line\nbreak \"quoted\""}}""",
        "{}",
    ];

    private static WebhookSigner Signer(params string[] secrets)
    {
        Assert.True(WebhookSecret.TryParseKeys(string.Join(' ', secrets), out var keys));
        return new WebhookSigner(keys);
    }

    private static OfficialVerifier.Delivery Delivery(string receiverSecret, WebhookSigner signer, string id, string body, string? sentBody = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new OfficialVerifier.Delivery(receiverSecret, sentBody ?? body, new Dictionary<string, string>
        {
            [WebhookSigner.IdHeader] = id,
            [WebhookSigner.TimestampHeader] = WebhookSigner.Timestamp(now),
            [WebhookSigner.SignatureHeader] = signer.Sign(id, now, body),
        });
    }

    [OfficialVerifierFact]
    public async Task Sign_every_payload_is_verified_by_the_official_library()
    {
        var signer = Signer(OldSecret);

        var results = await OfficialVerifier.VerifyAsync([.. Bodies.Select((body, index) => Delivery(OldSecret, signer, $"evt_{index}", body))]);

        Assert.All(results, result => Assert.Equal(OfficialVerifier.Verified, result));
    }

    [OfficialVerifierFact]
    public async Task Sign_during_rotation_is_verified_with_either_secret()
    {
        var signer = Signer(OldSecret, NewSecret);

        var results = await OfficialVerifier.VerifyAsync(
            [Delivery(OldSecret, signer, "evt_rotated", Bodies[0]), Delivery(NewSecret, signer, "evt_rotated", Bodies[0])]);

        Assert.Equal([OfficialVerifier.Verified, OfficialVerifier.Verified], results);
    }

    [OfficialVerifierFact]
    public async Task Sign_tampered_body_or_other_secret_is_refused_by_the_official_library()
    {
        var signer = Signer(OldSecret);

        var results = await OfficialVerifier.VerifyAsync(
        [
            Delivery(OldSecret, signer, "evt_tampered", Bodies[0], sentBody: Bodies[0].Replace("a@b.example", "c@b.example", StringComparison.Ordinal)),
            Delivery(NewSecret, signer, "evt_other_secret", Bodies[0]),
        ]);

        Assert.All(results, result => Assert.NotEqual(OfficialVerifier.Verified, result));
    }

    [Fact]
    public void Sign_several_secrets_gives_one_v1_signature_each()
    {
        var signature = Signer(OldSecret, NewSecret).Sign("evt_1", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), "{}");

        var parts = signature.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.All(parts, part => Assert.StartsWith("v1,", part, StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_accepts_own_signature_and_refuses_a_changed_one()
    {
        var signer = Signer(OldSecret, NewSecret);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var newOnly = Signer(NewSecret).Sign("evt_1", at, "{}");

        Assert.True(signer.Verify("evt_1", at, "{}", newOnly));
        Assert.False(signer.Verify("evt_1", at, "{ }", newOnly));
        Assert.False(signer.Verify("evt_2", at, "{}", newOnly));
        Assert.False(signer.Verify("evt_1", at.AddSeconds(1), "{}", newOnly));
    }
}
