using System.Net;
using System.Net.Http.Json;
using MailKit.Net.Smtp;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Embedded;

namespace Suppression.Gateway.Tests.Telemetry;

/// <summary>
/// The gateway's meter ("Suppression.Gateway") as any listener sees it, with real mail through a real
/// gateway. In the serial collection: the instruments are process-wide, and no other test's gateway
/// may add to the counts meanwhile.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class MetricsTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    private const string Meter = "Suppression.Gateway";

    [Fact]
    public async Task Relayed_dropped_and_failed_messages_move_the_message_and_recipient_counters_and_the_check_histogram()
    {
        var gateway = fixture.Reset();
        var bounced = Mail.UniqueAddress("bounced");
        var complained = Mail.UniqueAddress("complained");
        var reader = Mail.UniqueAddress("reader");
        await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = bounced, reason = "hard-bounce" });
        await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = complained, reason = "complaint" });
        using var metrics = new MeasurementRecorder(Meter);

        // Relayed to the reader; the hard bounce is dropped at RCPT, the complaint once the message is known to be marketing.
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [bounced, complained, reader]));

        // Every recipient dropped: accepted, nothing relayed.
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [bounced]));

        // Refused upstream.
        fixture.Sink.DataReply = _ => "554 5.7.1 Content rejected";
        await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("refused")])));

        Assert.True(3 == metrics.Sum("suppression.smtp.messages.received", ("suppression.destination", "relay")), metrics.ToString());
        Assert.Equal(1, metrics.Sum("suppression.smtp.messages.relayed", ("suppression.message.class", "marketing")));
        Assert.Equal(1, metrics.Sum("suppression.smtp.messages.dropped", ("suppression.message.class", "marketing")));
        Assert.Equal(1, metrics.Sum("suppression.smtp.messages.failed", ("suppression.smtp.reply_code", 554)));
        Assert.Equal(2, metrics.Sum("suppression.smtp.recipients.blocked", ("suppression.reason", "hard-bounce"), ("suppression.scope.kind", "global"), ("suppression.action", "drop")));
        Assert.Equal(1, metrics.Sum("suppression.smtp.recipients.blocked", ("suppression.reason", "complaint"), ("suppression.scope.kind", "global"), ("suppression.action", "drop")));
        Assert.Equal(3, metrics.Sum("suppression.smtp.recipients.checked", ("suppression.verdict", "deliver")));
        Assert.Equal(2, metrics.Sum("suppression.smtp.recipients.checked", ("suppression.verdict", "drop")));

        var checks = metrics.Matching("suppression.smtp.recipient_check.duration").ToList();
        Assert.Equal(5, checks.Count);
        Assert.All(checks, check => Assert.InRange(check.Value, 0, 10_000));

        Assert.Equal(1, metrics.Count("suppression.upstream.duration", ("suppression.outcome", "accepted")));
        Assert.Equal(1, metrics.Count("suppression.upstream.duration", ("suppression.outcome", "permanent_failure")));
        Assert.Equal(1, metrics.Sum("suppression.upstream.failures", ("error.type", "5xx")));
        Assert.Equal(3, metrics.Sum("suppression.audit.records", ("suppression.audit.event", "blocked")));
    }

    [Fact]
    public async Task Upstream_deferrals_are_counted_as_4xx_and_connection_failures()
    {
        // A gateway of its own: these failures count towards its upstream circuit breaker.
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, Traffic.Settings());
        using var metrics = new MeasurementRecorder(Meter);

        sink.DataReply = _ => "451 4.3.0 Try again later";
        await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("later")])));
        sink.DataReply = _ => null;
        sink.DropConnectionAfterData = true;
        await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("cut")])));

        Assert.True(1 == metrics.Sum("suppression.upstream.failures", ("error.type", "4xx")), metrics.ToString());
        Assert.Equal(1, metrics.Sum("suppression.upstream.failures", ("error.type", "connection")));
        Assert.Equal(2, metrics.Sum("suppression.smtp.messages.failed", ("suppression.smtp.reply_code", 451)));
    }

    [Fact]
    public async Task Unsubscribe_requests_are_counted_by_source_and_outcome()
    {
        var gateway = fixture.Reset();
        var reader = Mail.UniqueAddress("reader");
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [reader]));
        var link = Traffic.LinkOf(Assert.Single(fixture.Sink.Messages));
        using var metrics = new MeasurementRecorder(Meter);

        using var browser = new HttpClient();
        var oneClick = new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" };
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(link, new FormUrlEncodedContent(oneClick))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(link, new FormUrlEncodedContent(oneClick))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(new Uri(link, "/u/" + new string('A', 60)), new FormUrlEncodedContent(oneClick))).StatusCode);

        Assert.True(1 == metrics.Sum("suppression.unsubscribe.requests", ("suppression.action", "unsubscribe"), ("suppression.source", "one-click"), ("suppression.outcome", "recorded")), metrics.ToString());
        Assert.Equal(1, metrics.Sum("suppression.unsubscribe.requests", ("suppression.source", "one-click"), ("suppression.outcome", "already_present")));
        Assert.Equal(1, metrics.Sum("suppression.unsubscribe.requests", ("suppression.source", "unknown"), ("suppression.outcome", "token_invalid")));

        // The repeated request is on record too, marked as changing nothing.
        Assert.Equal(2, metrics.Sum("suppression.audit.records", ("suppression.audit.event", "suppressed")));
    }

    [Fact]
    public async Task Open_smtp_sessions_go_up_and_back_down()
    {
        var gateway = fixture.Reset();
        using var metrics = new MeasurementRecorder(Meter);

        await using (var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "client.test"))
        {
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(metrics.Sum("suppression.smtp.active_sessions") == 1), TimeSpan.FromSeconds(5)), metrics.ToString());
            await client.CommandAsync("QUIT");
        }

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(metrics.Sum("suppression.smtp.active_sessions") == 0), TimeSpan.FromSeconds(5)), metrics.ToString());
    }

    [Fact]
    public async Task A_feedback_report_and_an_import_are_counted()
    {
        var gateway = fixture.Reset();
        using var metrics = new MeasurementRecorder(Meter);

        var traffic = await Traffic.RunAsync(gateway, fixture.Sink);

        Assert.NotEmpty(traffic);
        Assert.True(1 == metrics.Sum("suppression.feedback.reports", ("suppression.feedback.kind", "dsn"), ("suppression.outcome", "processed")), metrics.ToString());
        Assert.Equal(1, metrics.Sum("suppression.feedback.reports", ("suppression.feedback.kind", "malformed"), ("suppression.outcome", "kept")));
        Assert.Equal(1, metrics.Sum("suppression.import.rows", ("suppression.import.format", "sendgrid-unsubscribes"), ("suppression.outcome", "imported")));
        Assert.Equal(1, metrics.Sum("suppression.import.rows", ("suppression.outcome", "rejected")));
        Assert.Equal(1, metrics.Sum("suppression.unsubscribe.requests", ("suppression.source", "mailto"), ("suppression.outcome", "recorded")));
    }

    [Fact]
    public async Task Redis_errors_are_counted_and_the_recipient_is_deferred()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("suppression-telemetry-outage-").FullName;
        var port = FreePort.Next();
        var store = await EmbeddedRedisServer.StartAsync(storeDirectory, port, null, CancellationToken.None);
        await using var gateway = await GatewayInstance.StartAsync(
            $"127.0.0.1:{port},password={store.Password},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000", fixture.Sink.Port);
        using var metrics = new MeasurementRecorder(Meter);

        await store.DisposeAsync();
        await using (var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "client.test"))
        {
            await client.CommandAsync("MAIL FROM:<a@sender.test>");
            Assert.StartsWith("451 4.3.0", await client.CommandAsync($"RCPT TO:<{Mail.UniqueAddress("reader")}>"));
        }

        Assert.True(metrics.Sum("suppression.redis.errors", ("suppression.redis.operation", "lookup")) >= 1, metrics.ToString());
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(metrics.Sum("suppression.redis.errors", ("suppression.redis.operation", "connection")) >= 1), TimeSpan.FromSeconds(10)),
            metrics.ToString());
        Assert.Equal(1, metrics.Sum("suppression.smtp.recipients.checked", ("suppression.verdict", "defer")));
        Directory.Delete(storeDirectory, recursive: true);
    }
}
