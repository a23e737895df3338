using System.Net.Http.Json;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.BatchCheck;

/// <summary>
/// The check answers as the mail fares: for each context, one real message through the gateway's
/// SMTP to a sample with entries in every scope and of every reason, and the check of the same
/// addresses in the same context says "deliver" for exactly the recipients the upstream received.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class BatchCheckAgreesWithSmtpTests(BatchCheckFixture fixture) : IClassFixture<BatchCheckFixture>
{
    private static readonly (string Tag, string Scope, string Reason)[] Entries =
    [
        ("global-bounce", "global", "hard-bounce"),
        ("global-unsubscribe", "global", "unsubscribe"),
        ("global-import", "global", "import"),
        ("global-manual", "global", "manual"),
        ("global-erased", "global", "erasure"),
        ("acme-unsubscribe", "tenant:acme", "unsubscribe"),
        ("acme-bounce", "tenant:acme", "hard-bounce"),
        ("news-unsubscribe", "topic:acme/news", "unsubscribe"),
        ("news-complaint", "topic:acme/news", "complaint"),
        ("offers-manual", "topic:acme/offers", "manual"),
        ("beta-unsubscribe", "tenant:beta", "unsubscribe"),
        ("beta-import", "tenant:beta", "import"),
    ];

    public static TheoryData<string, string?, string?, string?> Contexts
    {
        get
        {
            var data = new TheoryData<string, string?, string?, string?>();
            var backends = Backends.ExternalRedis is null ? [Backends.Embedded] : new[] { Backends.Embedded, Backends.Redis };
            foreach (var backend in backends)
            {
                data.Add(backend, "acme", "news", "marketing");
                data.Add(backend, "acme", "offers", null);
                data.Add(backend, "acme", null, "transactional");
                data.Add(backend, "acme", "news", "transactional");
                data.Add(backend, "beta", null, "marketing");
                data.Add(backend, null, null, null);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public async Task Check_says_deliver_for_exactly_the_recipients_smtp_relays(string backend, string? tenant, string? topic, string? messageClass)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var clean = Mail.UniqueAddress("clean");
        var sample = new List<string> { clean };
        foreach (var (tag, scope, reason) in Entries)
        {
            var address = Mail.UniqueAddress(tag);
            await fixture.SuppressAsync(backend, address, scope, reason);
            sample.Add(address);
        }

        var subject = "Batch check agreement " + Guid.NewGuid().ToString("N");
        var message = Mail.Create("sender@sender.test", sample, subject);
        AddInstruction(message, "X-Suppression-Tenant", tenant);
        AddInstruction(message, "X-Suppression-Topic", topic);
        AddInstruction(message, "X-Suppression-Class", messageClass);
        await Mail.SendAsync(gateway.SmtpPort, message);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(RelayedTo(subject).Contains(clean)), TimeSpan.FromSeconds(10)), "the clean recipient's copy never reached the upstream");
        var relayed = RelayedTo(subject);

        using var response = await fixture.CheckAsync(backend, JsonContent.Create(new { tenant, topic, @class = messageClass, addresses = sample }));
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(sample, results.Select(result => result.GetProperty("address").GetString()));
        var deliver = results.Where(result => result.GetProperty("verdict").GetString() == "deliver").Select(result => result.GetProperty("address").GetString()!).ToHashSet();
        Assert.Equal(relayed.Order().ToList(), deliver.Order().ToList());

        // Every scope and reason both blocks and passes somewhere across the contexts; here, at least one of each verdict.
        Assert.Contains(results, result => result.GetProperty("verdict").GetString() == "suppressed");
    }

    private HashSet<string> RelayedTo(string subject) =>
        fixture.Upstream.Messages.Where(received => received.Text.Contains(subject, StringComparison.Ordinal))
            .SelectMany(received => received.Recipients).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static void AddInstruction(MimeKit.MimeMessage message, string field, string? value)
    {
        if (value is not null)
        {
            message.Headers.Add(field, value);
        }
    }
}
