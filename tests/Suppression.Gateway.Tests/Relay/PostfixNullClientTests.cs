using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Smtp;
using Xunit.Abstractions;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// The gateway as operators deploy it: a stock Postfix null client in front of it, relaying all its
/// mail to the gateway, which relays to a recording upstream. Hundreds of messages with several
/// recipients each, some suppressed, are queued in Postfix before it starts, and the test waits
/// until Postfix's queue is empty; then the upstream shows what reached the recipients.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed partial class PostfixNullClientTests(ITestOutputHelper output)
{
    private const string Sender = "news@sender.test";
    private const string Refused = "gone@mailboxes.test";
    private const string GatewayHostname = "gateway.test";
    private static readonly TimeSpan QueueDrains = TimeSpan.FromSeconds(90);

    [PrivatePostfixFact]
    public async Task Postfix_relaying_through_the_gateway_delivers_each_deliverable_copy_once_and_bounces_only_the_refused_recipient()
    {
        await using var upstream = new TestSmtpSink { RcptReply = recipient => recipient == Refused ? "550 5.1.1 <gone@mailboxes.test>: mailbox unavailable" : null };
        await using var gateway = await GatewayInstance.StartAsync(null, upstream.Port);
        await using var postfix = await PostfixNullClient.CreateAsync(gateway.SmtpPort);
        var plan = await MailPlan.CreateAsync(gateway, messages: 300, refusedIn: 150);

        await RunAsync(postfix, plan);

        AssertEachDeliverableCopyOnce(upstream, plan);
        var bounces = upstream.Messages.Where(message => message.Sender.Length == 0).Select(Report.Read).ToList();
        var delivered = plan.Deliverable.Select(pair => pair.Recipient).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Without per-recipient outcomes (issue 16) the gateway answered the whole message with the
        // 550, and Postfix bounced every recipient of it, those who had the message too.
        Assert.True(
            bounces.All(bounce => !bounce.Recipients.Any(delivered.Contains)),
            $"bounced although delivered: {string.Join("; ", bounces.Select(bounce => bounce.ToString()))}");
        var dsn = Assert.Single(bounces);
        Assert.Equal(GatewayHostname, dsn.ReportingMta);
        Assert.Equal([Sender], dsn.EnvelopeRecipients);
        Assert.Equal([Refused], dsn.Recipients);
    }

    [PrivatePostfixFact(NeedsSaslPlain = true)]
    public async Task Postfix_logging_in_over_starttls_at_its_default_concurrency_is_never_refused_a_correct_login()
    {
        const string Username = "acme-mailer";
        const string Password = "correct horse battery staple";
        var certificateDirectory = Directory.CreateTempSubdirectory("suppression-tls-").FullName;
        try
        {
            var (certificatePath, keyPath, _) = StartTlsTests.WriteSelfSignedPem(certificateDirectory);
            await using var upstream = new TestSmtpSink();

            // Loopback is no relay network here, so every delivery must log in. Postfix opens up to
            // 20 connections to one destination; a session limit per client below that would refuse
            // some of them at connect (421, retried), which is not what this test is about.
            await using var gateway = await GatewayInstance.StartAsync(null, upstream.Port, new Dictionary<string, string>
            {
                ["Suppression:Smtp:CertificatePath"] = certificatePath,
                ["Suppression:Smtp:CertificateKeyPath"] = keyPath,
                ["Suppression:Smtp:RelayNetworks:0"] = "192.0.2.0/24",
                ["Suppression:Smtp:MaxSessionsPerClient"] = "40",
                ["Suppression:Tenants:0:Id"] = "acme",
                ["Suppression:Tenants:0:SmtpUsers:0:Username"] = Username,
                ["Suppression:Tenants:0:SmtpUsers:0:Password"] = Password,
            });
            await using var postfix = await PostfixNullClient.CreateAsync(gateway.SmtpPort, (Username, Password));
            var plan = await MailPlan.CreateAsync(gateway, messages: 200, refusedIn: null);

            await RunAsync(postfix, plan);

            AssertEachDeliverableCopyOnce(upstream, plan);
            Assert.DoesNotContain(upstream.Messages, message => message.Sender.Length == 0);
            Assert.Contains("with ESMTPS", upstream.Messages.First().Text.Replace("\r\n\t", " ", StringComparison.Ordinal), StringComparison.Ordinal);

            // A limiter that counted logins still being checked as failures refused parallel correct
            // logins with 454 (issue 16).
            var refused = RefusedDeliveries(postfix.Log);
            Assert.True(refused.Count == 0, $"{refused.Count} deliveries were refused with 454, the first: {refused.FirstOrDefault()}");
        }
        finally
        {
            Directory.Delete(certificateDirectory, recursive: true);
        }
    }

    // Postfix logs a refused delivery once per recipient: "postfix/smtp[pid]: <queue id>: to=<...>, ... said: 454 ...".
    [GeneratedRegex(@"^.*postfix/smtp\[(?<attempt>\d+\]: \w+):.*said: 454 .*$", RegexOptions.Multiline)]
    private static partial Regex Refusal454();

    [GeneratedRegex(@"postfix/smtp\[(\d+)\]")]
    private static partial Regex SmtpProcess();

    private static List<string> RefusedDeliveries(string log) =>
        Refusal454().Matches(log).DistinctBy(match => match.Groups["attempt"].Value).Select(match => match.Value).ToList();

    // Every message is queued before Postfix starts, so its queue manager sees them all at once and
    // delivers at its full concurrency; then the queue must drain.
    private async Task RunAsync(PrivatePostfix postfix, MailPlan plan)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            plan.Messages,
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (message, _) => await postfix.SubmitAsync(Sender, message.Recipients, message.Text));

        var queued = clock.Elapsed;
        await postfix.StartAsync();
        await postfix.FlushAsync();
        var drained = await Eventually.TrueAsync(async () => await postfix.QueuedMessagesAsync() == 0, QueueDrains);
        output.WriteLine(
            $"{plan.Messages.Count} messages, {plan.Messages.Sum(message => message.Recipients.Count)} recipients: queued in {queued.TotalSeconds:F1} s, " +
            $"delivered in {(clock.Elapsed - queued).TotalSeconds:F1} s by {SmtpProcess().Matches(postfix.Log).Select(match => match.Groups[1].Value).Distinct().Count()} smtp processes; " +
            $"{RefusedDeliveries(postfix.Log).Count} deliveries refused with 454, {Regex.Count(postfix.Log, " said: 421 ")} with 421");
        Assert.True(drained, $"Postfix's queue still holds {await postfix.QueuedMessagesAsync()} messages after {QueueDrains.TotalSeconds} s; its log:\n{postfix.Log}");
    }

    private static void AssertEachDeliverableCopyOnce(TestSmtpSink upstream, MailPlan plan)
    {
        var copies = upstream.Messages
            .Where(message => message.Sender == Sender)
            .SelectMany(message => message.Recipients.Select(recipient => (MessageId: MimeMessage.Load(new MemoryStream(message.Data)).MessageId, Recipient: recipient)))
            .GroupBy(pair => pair)
            .ToDictionary(group => group.Key, group => group.Count());
        var missing = plan.Deliverable.Where(pair => !copies.ContainsKey(pair)).ToList();
        var twice = copies.Where(copy => copy.Value > 1).Select(copy => copy.Key).ToList();
        var suppressed = plan.Suppressed.Where(copies.ContainsKey).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {plan.Deliverable.Count} deliverable copies never arrived, e.g. {missing.FirstOrDefault()}");
        Assert.True(twice.Count == 0, $"{twice.Count} copies arrived more than once, e.g. {twice.FirstOrDefault()}");
        Assert.True(suppressed.Count == 0, $"{suppressed.Count} suppressed copies were relayed, e.g. {suppressed.FirstOrDefault()}");
        Assert.Equal(plan.Deliverable.Count, copies.Count);
    }

    private sealed record PlannedMessage(string MessageId, IReadOnlyList<string> Recipients, string Text);

    /// <summary>
    /// The messages and, per Message-ID and recipient, which copies must arrive and which must not:
    /// 30 readers, every fifth suppressed through the admin API first; each message to three of them,
    /// and one message also to the address the upstream refuses.
    /// </summary>
    private sealed record MailPlan(
        IReadOnlyList<PlannedMessage> Messages,
        IReadOnlyList<(string MessageId, string Recipient)> Deliverable,
        IReadOnlyList<(string MessageId, string Recipient)> Suppressed)
    {
        private const int Readers = 30;

        public static async Task<MailPlan> CreateAsync(GatewayInstance gateway, int messages, int? refusedIn)
        {
            await gateway.WarmUpAsync();
            var readers = Enumerable.Range(0, Readers).Select(reader => $"reader{reader}@mailboxes.test").ToList();
            var suppressed = readers.Where((_, index) => index % 5 == 0).ToHashSet();
            foreach (var address in suppressed)
            {
                using var response = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            var run = Guid.NewGuid().ToString("N");
            var planned = new List<PlannedMessage>();
            for (var i = 0; i < messages; i++)
            {
                var messageId = $"{run}.{i}@sender.test";
                List<string> recipients = [readers[i % Readers], readers[(i + 7) % Readers], readers[(i + 13) % Readers]];
                if (i == refusedIn)
                {
                    recipients.Add(Refused);
                }

                planned.Add(new PlannedMessage(messageId, recipients, $"""
                    From: News <{Sender}>
                    To: Readers <readers@mailboxes.test>
                    Subject: Issue {i}
                    Message-ID: <{messageId}>
                    Date: {DateTimeOffset.UtcNow:R}

                    Issue {i} of the newsletter.

                    """));
            }

            var pairs = planned.SelectMany(message => message.Recipients.Where(recipient => recipient != Refused).Select(recipient => (message.MessageId, recipient))).ToList();
            return new MailPlan(
                planned,
                pairs.Where(pair => !suppressed.Contains(pair.recipient)).ToList(),
                pairs.Where(pair => suppressed.Contains(pair.recipient)).ToList());
        }
    }

    /// <summary>What a bounce at the upstream says: who reported it, to whom it went, and the recipients it names.</summary>
    private sealed record Report(string ReportingMta, IReadOnlyList<string> EnvelopeRecipients, IReadOnlyList<string> Recipients)
    {
        public static Report Read(ReceivedMessage message)
        {
            var parsed = MimeMessage.Load(new MemoryStream(message.Data));
            var status = parsed.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault();
            if (status is null)
            {
                return new Report(string.Empty, message.Recipients, []);
            }

            // RFC 3464 2.2 and 2.3: the first group is about the message, each further one about a
            // recipient (a blank line at the end can read as an empty group: no recipient).
            var recipients = status.StatusGroups.Skip(1)
                .Where(group => group.Count > 0)
                .Select(group => AfterType(group["Final-Recipient"]))
                .ToList();
            return new Report(AfterType(status.StatusGroups[0]["Reporting-MTA"]), message.Recipients, recipients);
        }

        // "dns; gateway.test", "rfc822; gone@mailboxes.test" (RFC 3464 2.1.2): the value after the type.
        private static string AfterType(string? field) => field is null ? string.Empty : field[(field.IndexOf(';', StringComparison.Ordinal) + 1)..].Trim();

        public override string ToString() =>
            $"from {ReportingMta} to {string.Join(", ", EnvelopeRecipients)} naming {string.Join(", ", Recipients)}";
    }
}
