using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Telemetry;

/// <summary>
/// The spans an exporter would get: one trace per mail transaction with the recipient checks and the
/// upstream copies as children, the unsubscribe request under its HTTP request, the feedback report
/// under its transaction; and never an address in a tag.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed partial class TracingTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    private const string Source = "Suppression.Gateway";
    private const string AspNetCore = "Microsoft.AspNetCore";

    [Fact]
    public async Task A_transaction_is_one_trace_whose_children_are_the_recipient_checks_and_the_upstream_copies()
    {
        var gateway = fixture.Reset();
        var bounced = Mail.UniqueAddress("bounced");
        var reader = Mail.UniqueAddress("reader");
        await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = bounced, reason = "hard-bounce" });
        using var spans = new SpanRecorder(Source);

        var reply = await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [bounced, reader]));

        var transaction = TransactionSpan(spans, reply);
        Assert.Equal(ActivityKind.Server, transaction.Kind);
        Assert.Equal(default, transaction.ParentSpanId);
        Assert.Equal(250, transaction.GetTagItem("suppression.smtp.reply_code"));
        Assert.Equal("marketing", transaction.GetTagItem("suppression.message.class"));
        Assert.Equal(1, transaction.GetTagItem("suppression.recipients.relayed"));
        Assert.Equal(1, transaction.GetTagItem("suppression.recipients.dropped"));

        var children = ChildrenOf(spans, transaction);
        var checks = children.Where(span => span.OperationName == "suppression check").ToList();
        Assert.Equal(2, checks.Count);
        var drop = Assert.Single(checks, check => Equals(check.GetTagItem("suppression.verdict"), "drop"));
        Assert.Equal("hard-bounce", drop.GetTagItem("suppression.reason"));
        Assert.Equal("global", drop.GetTagItem("suppression.scope.kind"));
        Assert.Single(checks, check => Equals(check.GetTagItem("suppression.verdict"), "deliver"));

        var relay = Assert.Single(children, span => span.OperationName == "smtp relay");
        Assert.Equal(ActivityKind.Client, relay.Kind);
        Assert.Equal("accepted", relay.GetTagItem("suppression.outcome"));
        Assert.Equal(250, relay.GetTagItem("suppression.smtp.reply_code"));
        Assert.All(children, child => Assert.Equal(transaction.TraceId, child.TraceId));
        AssertNoAddress(spans, bounced, reader);
    }

    [Fact]
    public async Task Consecutive_transactions_on_one_connection_are_separate_traces()
    {
        var gateway = fixture.Reset();
        using var spans = new SpanRecorder(Source);

        using var client = new MailKit.Net.Smtp.SmtpClient();
        await client.ConnectAsync("127.0.0.1", gateway.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        var first = await client.SendAsync(Mail.Create("news@sender.test", [Mail.UniqueAddress("one")]));
        var second = await client.SendAsync(Mail.Create("news@sender.test", [Mail.UniqueAddress("two")]));
        await client.DisconnectAsync(true);

        Assert.NotEqual(TransactionSpan(spans, first).TraceId, TransactionSpan(spans, second).TraceId);
        Assert.Equal(default, TransactionSpan(spans, second).ParentSpanId);
    }

    [Fact]
    public async Task An_upstream_retry_is_an_event_on_the_relay_span_without_the_upstream_text()
    {
        var gateway = fixture.Reset();
        var reader = Mail.UniqueAddress("reader");
        var refusals = 0;
        fixture.Sink.RcptReply = address => Interlocked.Increment(ref refusals) == 1 ? $"450 4.2.0 <{address}>: Recipient address rejected: try later" : null;
        using var spans = new SpanRecorder(Source);

        var reply = await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [reader]));

        var relay = Assert.Single(ChildrenOf(spans, TransactionSpan(spans, reply)), span => span.OperationName == "smtp relay");
        Assert.Equal("accepted", relay.GetTagItem("suppression.outcome"));
        var retry = Assert.Single(relay.Events);
        Assert.Equal("retry", retry.Name);
        Assert.Contains(retry.Tags, tag => tag.Key == "error.type" && Equals(tag.Value, "4xx"));
        AssertNoAddress(spans, reader);
    }

    [Fact]
    public async Task An_unsubscribe_span_is_a_child_of_its_http_request_and_names_the_scope_not_the_recipient()
    {
        var gateway = fixture.Reset();
        var reader = Mail.UniqueAddress("reader");
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [reader]));
        var link = Traffic.LinkOf(Assert.Single(fixture.Sink.Messages));
        using var spans = new SpanRecorder(Source, AspNetCore);

        using var browser = new HttpClient();
        using var response = await browser.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Activity? unsubscribe = null;
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult((unsubscribe = spans.Spans.FirstOrDefault(span => span.OperationName == "unsubscribe")) is not null), TimeSpan.FromSeconds(5)));
        Assert.Equal("unsubscribe", unsubscribe!.GetTagItem("suppression.action"));
        Assert.Equal("one-click", unsubscribe.GetTagItem("suppression.source"));
        Assert.Equal("recorded", unsubscribe.GetTagItem("suppression.outcome"));
        Assert.Equal("global", unsubscribe.GetTagItem("suppression.scope.kind"));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(spans.Spans.Any(span => span.Source.Name == AspNetCore)), TimeSpan.FromSeconds(5)));
        var request = Assert.Single(spans.Spans, span => span.Source.Name == AspNetCore);
        Assert.Equal(request.SpanId, unsubscribe.ParentSpanId);
        Assert.Equal(request.TraceId, unsubscribe.TraceId);
        AssertNoAddress(spans, reader);
    }

    [Fact]
    public async Task Feedback_and_mailto_unsubscribes_are_spans_under_their_transaction()
    {
        var gateway = fixture.Reset();
        using var spans = new SpanRecorder(Source);

        var addresses = await Traffic.RunAsync(gateway, fixture.Sink);

        var feedback = spans.Spans.Where(span => span.OperationName == "feedback report").ToList();
        Assert.Equal(2, feedback.Count);
        var dsn = Assert.Single(feedback, span => Equals(span.GetTagItem("suppression.feedback.kind"), "dsn"));
        Assert.Equal("processed", dsn.GetTagItem("suppression.outcome"));
        Assert.Equal(1, dsn.GetTagItem("suppression.suppressions.written"));
        var mailto = Assert.Single(spans.Spans, span => span.OperationName == "unsubscribe" && Equals(span.GetTagItem("suppression.source"), "mailto"));
        Assert.Equal("recorded", mailto.GetTagItem("suppression.outcome"));
        foreach (var span in feedback.Append(mailto))
        {
            var parent = Assert.Single(spans.Spans, candidate => candidate.SpanId == span.ParentSpanId);
            Assert.Equal("smtp transaction", parent.OperationName);
        }

        AssertNoAddress(spans, [.. addresses]);
    }

    private static Activity TransactionSpan(SpanRecorder spans, string reply)
    {
        var id = AcceptedAs().Match(reply);
        Assert.True(id.Success, reply);
        return Assert.Single(spans.Spans, span => span.OperationName == "smtp transaction" && Equals(span.GetTagItem("suppression.smtp.transaction_id"), id.Groups["id"].Value));
    }

    private static List<Activity> ChildrenOf(SpanRecorder spans, Activity parent) =>
        spans.Spans.Where(span => span.ParentSpanId == parent.SpanId).ToList();

    // Neither the address nor its local part, in any tag or event of any span recorded.
    private static void AssertNoAddress(SpanRecorder spans, params string[] addresses)
    {
        foreach (var span in spans.Spans)
        {
            var texts = span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}")
                .Concat(span.Events.SelectMany(e => e.Tags.Select(tag => $"{e.Name}:{tag.Key}={tag.Value}")))
                .Append(span.DisplayName)
                .ToList();
            Assert.DoesNotContain(texts, text => text.Contains('@', StringComparison.Ordinal));
            foreach (var address in addresses)
            {
                var local = address[..address.IndexOf('@', StringComparison.Ordinal)];
                Assert.DoesNotContain(texts, text => text.Contains(local, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    [GeneratedRegex(@"accepted as (?<id>[0-9a-f]{12})")]
    private static partial Regex AcceptedAs();
}
