using System.Net;
using Suppression.Gateway.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>The sender against a real HTTP receiver on loopback: what each answer means, and what it never does.</summary>
public sealed class WebhookSenderTests
{
    private const string Body = """{"type":"suppression.created","timestamp":"2026-12-07T16:00:00Z","data":{"id":"evt_1"}}""";

    private static readonly QueuedWebhook Webhook = new("evt_1", DateTimeOffset.UnixEpoch, "suppression.created", Body, Attempts: 0);

    private static WebhookEndpoint Endpoint(Uri url) =>
        WebhookEndpoint.From(new WebhookEndpointOptions { Id = "crm", Url = url.ToString(), Secret = WebhookOptionsTests.Secret });

    private static WebhookSender Sender(bool allowPrivateNetworks = true, TimeSpan? timeout = null) =>
        new(allowPrivateNetworks, TimeProvider.System, timeout);

    [OfficialVerifierFact]
    public async Task Send_2xx_is_delivered_with_headers_the_official_library_verifies()
    {
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(204));
        using var sender = Sender();

        var attempt = await sender.SendAsync(Endpoint(receiver.Url), Webhook, CancellationToken.None);

        Assert.Equal(WebhookAttemptResult.Delivered, attempt.Result);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(Body, request.Body);
        Assert.Equal("evt_1", request.Headers["webhook-id"]);
        Assert.StartsWith("application/json", request.Headers["content-type"], StringComparison.Ordinal);
        Assert.StartsWith("Suppression-Gateway/", request.Headers["user-agent"], StringComparison.Ordinal);
        var verified = await OfficialVerifier.VerifyAsync([new OfficialVerifier.Delivery(WebhookOptionsTests.Secret, request.Body, request.Headers)]);
        Assert.Equal(OfficialVerifier.Verified, Assert.Single(verified));
    }

    [Fact]
    public async Task Send_410_is_gone()
    {
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(410));
        using var sender = Sender();

        var attempt = await sender.SendAsync(Endpoint(receiver.Url), Webhook, CancellationToken.None);

        Assert.Equal(WebhookAttemptResult.Gone, attempt.Result);
    }

    [Fact]
    public async Task Send_429_with_retry_after_seconds_waits_that_long()
    {
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(429, response => response.AddHeader("Retry-After", "120")));
        using var sender = Sender();

        var attempt = await sender.SendAsync(Endpoint(receiver.Url), Webhook, CancellationToken.None);

        Assert.Equal(new WebhookAttempt(WebhookAttemptResult.Failed, TimeSpan.FromSeconds(120), "HTTP 429"), attempt);
    }

    [Fact]
    public async Task Send_503_with_retry_after_date_far_ahead_is_capped()
    {
        var date = DateTimeOffset.UtcNow.AddDays(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(503, response => response.AddHeader("Retry-After", date)));
        using var sender = Sender();

        var attempt = await sender.SendAsync(Endpoint(receiver.Url), Webhook, CancellationToken.None);

        Assert.Equal(WebhookAttemptResult.Failed, attempt.Result);
        Assert.Equal(WebhookRetrySchedule.MaximumRetryAfter, attempt.RetryAfter);
    }

    [Fact]
    public async Task Send_500_fails_for_the_schedule_to_decide()
    {
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(500));
        using var sender = Sender();

        var attempt = await sender.SendAsync(Endpoint(receiver.Url), Webhook, CancellationToken.None);

        Assert.Equal(new WebhookAttempt(WebhookAttemptResult.Failed, null, "HTTP 500"), attempt);
    }

    [Fact]
    public async Task Send_redirect_is_not_followed()
    {
        await using var receiver = new LoopbackReceiver(context =>
        {
            if (context.Request.Url!.AbsolutePath == "/hooks")
            {
                context.Response.Redirect($"http://127.0.0.1:{context.Request.Url.Port}/elsewhere");
            }

            context.Response.Close();
            return Task.CompletedTask;
        });
        using var sender = Sender();

        var attempt = await sender.SendAsync(Endpoint(receiver.Url), Webhook, CancellationToken.None);

        Assert.Equal(WebhookAttemptResult.Failed, attempt.Result);
        Assert.StartsWith("HTTP 302", attempt.Failure, StringComparison.Ordinal);
        Assert.Equal(["/hooks"], receiver.Requests.Select(request => request.Path));
    }

    [Fact]
    public async Task Send_without_an_answer_in_time_fails_as_a_timeout()
    {
        using var release = new CancellationTokenSource();
        await using var receiver = new LoopbackReceiver(async context =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            context.Response.Close();
        });
        using var sender = Sender(timeout: TimeSpan.FromMilliseconds(300));

        var attempt = await sender.SendAsync(Endpoint(receiver.Url), Webhook, CancellationToken.None);
        await release.CancelAsync();

        Assert.Equal(WebhookAttemptResult.Failed, attempt.Result);
        Assert.StartsWith("no answer within", attempt.Failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Send_to_a_loopback_address_is_refused_at_connect_unless_private_networks_are_allowed(string host)
    {
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(200));
        using var sender = Sender(allowPrivateNetworks: false);

        var attempt = await sender.SendAsync(Endpoint(new Uri($"http://{host}:{receiver.Port}/hooks")), Webhook, CancellationToken.None);

        Assert.Equal(WebhookAttemptResult.Failed, attempt.Result);
        Assert.Contains("loopback or private", attempt.Failure, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.20.30.40", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.127.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("93.184.215.14", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", false)]
    public void PrivateNetworks_contains_the_gateways_own_ranges(string address, bool isPrivate)
    {
        Assert.Equal(isPrivate, PrivateNetworks.Contains(IPAddress.Parse(address)));
    }
}
