using System.Net;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// Issue 20 item 3: Postmark's webhooks, authenticated by basic auth. Postmark names no Message-ID
/// header, so its events never prove which copy they are about: by default they wait for review,
/// and with <c>Unauthenticated=Act</c> they suppress as a DSN or ARF report would.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class PostmarkWebhookTests(ProviderWebhookFixture fixture) : IClassFixture<ProviderWebhookFixture>
{
    private static long NewId() => Random.Shared.NextInt64(1, long.MaxValue);

    [Fact]
    public async Task A_hard_bounce_waits_for_review_by_default_as_it_names_no_message_the_gateway_relayed()
    {
        var gone = Mail.UniqueAddress("gone");

        var (status, body) = await fixture.PostAsync("postmark", PostmarkRequests.HardBounce(gone, NewId()), PostmarkRequests.Credentials());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("held").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(gone));
        var item = await fixture.QueuedAsync(gone);
        Assert.NotNull(item);
        Assert.Equal("postmark", item.Value.GetProperty("kind").GetString());
        Assert.Equal("hard-bounce", Assert.Single(item.Value.GetProperty("recipients").EnumerateArray()).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task With_Act_a_hard_bounce_a_complaint_and_an_unsubscribe_suppress_the_right_recipients()
    {
        var gone = Mail.UniqueAddress("gone");
        var complainant = Mail.UniqueAddress("complainant");
        var leaving = Mail.UniqueAddress("leaving");

        await fixture.PostAsync("postmark", PostmarkRequests.HardBounce(gone, NewId()), PostmarkRequests.Credentials(), fixture.Act);
        await fixture.PostAsync("postmark", PostmarkRequests.SpamComplaint(complainant, NewId()), PostmarkRequests.Credentials(), fixture.Act);
        var (status, body) = await fixture.PostAsync("postmark", PostmarkRequests.Unsubscribed(leaving), PostmarkRequests.Credentials(), fixture.Act);

        Assert.Equal((HttpStatusCode.OK, 1), (status, body.GetProperty("suppressed").GetInt32()));
        Assert.Equal(("global", "hard-bounce", "provider-event"), Described(Assert.Single(await fixture.Act.EntriesAsync(gone))));
        Assert.Equal(("tenant:acme", "complaint", "provider-event"), Described(Assert.Single(await fixture.Act.EntriesAsync(complainant))));
        Assert.Equal(("tenant:acme", "unsubscribe", "provider-event"), Described(Assert.Single(await fixture.Act.EntriesAsync(leaving))));
    }

    [Fact]
    public async Task Wrong_or_missing_credentials_are_401_and_change_nothing()
    {
        var gone = Mail.UniqueAddress("gone");
        var request = PostmarkRequests.HardBounce(gone, NewId());

        var (wrong, body) = await fixture.PostAsync("postmark", request, PostmarkRequests.Credentials(password: "correct-horse-battery-stapLe"), fixture.Act);
        var (missing, _) = await fixture.PostAsync("postmark", request, authorization: null, fixture.Act);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (wrong, missing));
        Assert.Contains("basic-auth", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Act.LookupStatusAsync(gone));
    }

    [Fact]
    public async Task A_resent_bounce_id_is_taken_once()
    {
        var gone = Mail.UniqueAddress("gone");
        var id = NewId();

        var (_, first) = await fixture.PostAsync("postmark", PostmarkRequests.HardBounce(gone, id), PostmarkRequests.Credentials());
        var (_, again) = await fixture.PostAsync("postmark", PostmarkRequests.HardBounce(gone, id), PostmarkRequests.Credentials());

        Assert.Equal((1, 0), (first.GetProperty("held").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 1), (again.GetProperty("held").GetInt32(), again.GetProperty("duplicates").GetInt32()));
    }

    [Fact]
    public async Task A_soft_bounce_suppresses_nobody()
    {
        var full = Mail.UniqueAddress("full");
        var request = PostmarkRequests.HardBounce(full, NewId()).Replace("\"HardBounce\"", "\"SoftBounce\"", StringComparison.Ordinal);

        var (status, _) = await fixture.PostAsync("postmark", request, PostmarkRequests.Credentials(), fixture.Act);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Act.LookupStatusAsync(full));
    }

    private static (string?, string?, string?) Described(System.Text.Json.JsonElement entry) =>
        (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString());
}
