using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NSubstitute;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Tests.Relay;

/// <summary>
/// The upstream relay's pipeline against scripted MailKit clients, no sockets: what it retries, when
/// its circuit opens, that a healthy connection is reused, an upstream's 421 greeting, and an
/// extension the copy needs that the upstream lacks. (The same against real peers: the Gateway
/// tests' Relay folder.) Retries wait out the pipeline's real backoff, a fraction of a second;
/// the pool's idle timeout is driven by a FakeTimeProvider.
/// </summary>
public sealed class UpstreamSmtpRelayTests
{
    private static readonly RelayEnvelope Envelope = new("news@sender.test", ["jane@example.org"], "t-1");

    private readonly List<ISmtpClient> _made = [];

    [Fact]
    public async Task A_transient_refusal_is_retried_on_a_new_connection_and_the_retry_delivers()
    {
        var refusing = Client(send: _ => throw Refusal(SmtpErrorCode.RecipientNotAccepted, 451, "4.2.1 try again"));
        var accepting = Client(send: _ => Task.FromResult("2.0.0 Ok: queued"));
        await using var relay = Relay(new UpstreamOptions { Host = "upstream.test", RetryAttempts = 2 }, refusing, accepting);

        var result = await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None);

        Assert.Equal(RelayOutcome.Accepted, result.Outcome);
        Assert.Equal(2, _made.Count);
        await refusing.Received(1).DisconnectAsync(true, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_permanent_refusal_is_not_retried_and_names_the_command_it_answered()
    {
        var refusing = Client(send: _ => throw Refusal(SmtpErrorCode.RecipientNotAccepted, 550, "5.1.1 <jane@example.org>: User unknown"));
        await using var relay = Relay(new UpstreamOptions { Host = "upstream.test", RetryAttempts = 2 }, refusing);

        var result = await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None);

        Assert.Equal((RelayOutcome.PermanentFailure, 550, RefusalStage.RcptTo), (result.Outcome, result.Code, result.Stage));
        Assert.Single(_made);
    }

    [Fact]
    public async Task A_healthy_connection_is_reused_for_the_next_message()
    {
        var client = Client(send: _ => Task.FromResult("2.0.0 Ok"));
        await using var relay = Relay(new UpstreamOptions { Host = "upstream.test" }, client);

        await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None);
        await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None);

        Assert.Single(_made);
        await client.Received(1).ConnectAsync("upstream.test", 25, SecureSocketOptions.StartTlsWhenAvailable, Arg.Any<CancellationToken>());
        await client.ReceivedWithAnyArgs(2).SendAsync(default!, default!, default!, default!, default, default);
    }

    // RFC 5321 3.1: an upstream may refuse the connection with a 421 greeting; that is its reply like
    // any other, transient, so it is retried and the client finally hears 451.
    [Fact]
    public async Task A_421_greeting_is_the_upstreams_transient_reply_and_is_retried()
    {
        ISmtpClient Busy() => Client(connect: _ => throw Refusal(SmtpErrorCode.UnexpectedStatusCode, 421, "4.3.2 Service shutting down"));
        var (first, second) = (Busy(), Busy());
        await using var relay = Relay(new UpstreamOptions { Host = "upstream.test", RetryAttempts = 1 }, first, second);

        var result = await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None);

        Assert.Equal((RelayOutcome.TemporaryFailure, 421), (result.Outcome, result.Code));
        Assert.Equal(2, _made.Count);
        await first.DidNotReceiveWithAnyArgs().SendAsync(default!, default!, default!, default!, default, default);
    }

    [Fact]
    public async Task After_enough_failures_the_circuit_opens_and_answers_without_connecting()
    {
        var options = new UpstreamOptions { Host = "upstream.test", RetryAttempts = 0, CircuitMinimumThroughput = 2, CircuitFailureRatio = 0.5 };
        var unreachable = Enumerable.Range(0, 6).Select(_ => Client(connect: _ => throw new IOException("connection refused"))).ToArray();
        await using var relay = Relay(options, unreachable);

        var results = new List<RelayResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None));
        }

        Assert.All(results, result => Assert.Equal(RelayOutcome.TemporaryFailure, result.Outcome));
        Assert.Contains("circuit open", results[^1].Text, StringComparison.Ordinal);
        Assert.True(_made.Count < results.Count, $"{_made.Count} connections for {results.Count} messages: the open circuit should connect no more");
    }

    // RFC 6531 3.4: a copy that needs SMTPUTF8 is not sent to an upstream without it; the refusal is
    // the gateway's own, so the connection stays good for the next message.
    [Fact]
    public async Task A_copy_that_needs_smtputf8_is_refused_before_mail_from_when_the_upstream_lacks_it()
    {
        var client = Client(send: _ => Task.FromResult("2.0.0 Ok"), capabilities: SmtpCapabilities.EightBitMime);
        await using var relay = Relay(new UpstreamOptions { Host = "upstream.test" }, client);

        var result = await relay.RelayAsync(Envelope with { SmtpUtf8 = true }, new MimeMessage(), CancellationToken.None);

        Assert.Equal((RelayOutcome.PermanentFailure, 550), (result.Outcome, result.Code));
        Assert.StartsWith("5.6.7", result.Text, StringComparison.Ordinal);
        await client.DidNotReceiveWithAnyArgs().SendAsync(default!, default!, default!, default!, default, default);
        await client.DidNotReceiveWithAnyArgs().DisconnectAsync(default, default);
    }

    [Fact]
    public async Task A_connection_idle_for_the_idle_timeout_is_closed_and_the_next_message_gets_a_new_one()
    {
        var time = new FakeTimeProvider();
        var (idle, fresh) = (Client(), Client());
        var options = new UpstreamOptions { Host = "upstream.test" };
        await using var relay = Relay(options, time, idle, fresh);

        await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None);
        time.Advance(options.IdleTimeout);
        await relay.RelayAsync(Envelope, new MimeMessage(), CancellationToken.None);

        Assert.Equal(2, _made.Count);
        await idle.Received(1).DisconnectAsync(true, Arg.Any<CancellationToken>());
        await fresh.ReceivedWithAnyArgs(1).SendAsync(default!, default!, default!, default!, default, default);
    }

    private UpstreamSmtpRelay Relay(UpstreamOptions options, params ISmtpClient[] clients) => Relay(options, TimeProvider.System, clients);

    private UpstreamSmtpRelay Relay(UpstreamOptions options, TimeProvider time, params ISmtpClient[] clients)
    {
        var queue = new Queue<ISmtpClient>(clients);
        return new UpstreamSmtpRelay(options, "gateway.test", time, NullLogger<UpstreamSmtpRelay>.Instance, () =>
        {
            var next = queue.Dequeue();
            _made.Add(next);
            return next;
        });
    }

    private static ISmtpClient Client(
        Func<NSubstitute.Core.CallInfo, Task<string>>? send = null,
        Func<NSubstitute.Core.CallInfo, Task>? connect = null,
        SmtpCapabilities capabilities = SmtpCapabilities.EightBitMime | SmtpCapabilities.UTF8 | SmtpCapabilities.Pipelining)
    {
        var client = Substitute.For<ISmtpClient>();
        var connected = false;
        client.IsConnected.Returns(_ => connected);
        client.Capabilities.Returns(capabilities);
        client.ConnectAsync(default!, default, default(SecureSocketOptions), default).ReturnsForAnyArgs(call =>
        {
            var task = connect?.Invoke(call) ?? Task.CompletedTask;
            connected = task.IsCompletedSuccessfully;
            return task;
        });
        client.SendAsync(default!, default!, default!, default!, default, default).ReturnsForAnyArgs(send ?? (_ => Task.FromResult("2.0.0 Ok")));
        client.DisconnectAsync(default, default).ReturnsForAnyArgs(_ =>
        {
            connected = false;
            return Task.CompletedTask;
        });
        return client;
    }

    private static SmtpCommandException Refusal(SmtpErrorCode error, int code, string text) => new(error, (SmtpStatusCode)code, text);
}
