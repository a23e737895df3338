using System.Net;
using Suppression.Addresses;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Tests.Server;

/// <summary>
/// Mail to the gateway's own mailboxes is parsed Suppression:Smtp:MaxConcurrentLocalMail at a time,
/// whatever the number of sessions sending it; the rest wait their turn and are then handled.
/// </summary>
public sealed class LocalMailTurnTests
{
    private const string Report = "From: stranger@example.net\r\nSubject: report\r\n\r\nunreadable\r\n";

    [Fact]
    public async Task Local_mail_past_the_concurrency_limit_waits_its_turn_and_is_then_handled()
    {
        var harness = new SessionHarness();
        harness.Options.MaxConcurrentLocalMail = 1;
        var release = new TaskCompletionSource<SmtpReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mailbox = new WaitingMailbox("bounces@gateway.test", release.Task);
        harness.LocalMailboxes.Add(mailbox);
        var services = harness.Services();

        await using var first = await new SmtpTranscript(services, IPAddress.Parse("198.51.100.1"), default).GreetedAsync();
        await using var second = await new SmtpTranscript(services, IPAddress.Parse("203.0.113.1"), default).GreetedAsync();
        var replies = new List<Task<SmtpResponse>>();
        foreach (var smtp in new[] { first, second })
        {
            await smtp.ExpectAsync("MAIL FROM:<>", "250");
            await smtp.ExpectAsync("RCPT TO:<bounces@gateway.test>", "250");
            replies.Add(smtp.SendMessageAsync(Report));
        }

        // Both messages are in: one is being handled, the other waits for its turn (without the limit
        // it would be handled at once).
        await UntilAsync(() => mailbox.Entered + services.LocalMailTurns.Waiting == 2);
        Assert.Equal(1, mailbox.Entered);
        Assert.Equal(1, services.LocalMailTurns.Waiting);
        release.SetResult(new SmtpReply(250, "2.0.0", "Report received"));
        SmtpTranscriptExtensions.AssertReply(await replies[0], "250 2.0.0");
        SmtpTranscriptExtensions.AssertReply(await replies[1], "250 2.0.0");
        Assert.Equal(2, mailbox.Entered);
    }

    // Waits for what the sessions do on other threads, not for time to pass; the token only ends a hung test.
    private static async Task UntilAsync(Func<bool> condition)
    {
        using var hung = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            hung.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    // Handling is internal to Suppression.Smtp (it takes the transaction), beyond a proxy's reach: a fake by hand.
    private sealed class WaitingMailbox(string address, Task<SmtpReply> release) : ILocalMailbox
    {
        private int _entered;

        public int Entered => Volatile.Read(ref _entered);

        public bool Accepts(NormalizedAddress recipient) => recipient.Value == address;

        Task<SmtpReply> ILocalMailbox.HandleAsync(MailTransaction transaction, MessageSpool spool, IPAddress client, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _entered);
            return release;
        }
    }
}
