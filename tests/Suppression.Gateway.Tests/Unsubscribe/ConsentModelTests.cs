using System.Net;
using System.Net.Http.Json;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// Issue 4's consent model through the real gateway: a topic opt-out stops that topic of that
/// tenant only, a tenant opt-out all its marketing, a global one all marketing; transactional mail
/// flows through all three, but not to a hard-bounced address.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class ConsentModelTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Each_scope_stops_what_it_names_and_transactional_mail_flows_except_to_a_hard_bounce(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var topicOptOut = Mail.UniqueAddress("topic");
        var tenantOptOut = Mail.UniqueAddress("tenant");
        var globalOptOut = Mail.UniqueAddress("global");
        var bounced = Mail.UniqueAddress("bounced");
        await SuppressAsync(gateway, topicOptOut, "topic:acme/deals", "unsubscribe");
        await SuppressAsync(gateway, tenantOptOut, "tenant:acme", "unsubscribe");
        await SuppressAsync(gateway, globalOptOut, "global", "unsubscribe");
        await SuppressAsync(gateway, bounced, "global", "hard-bounce");
        string[] everyone = [topicOptOut, tenantOptOut, globalOptOut, bounced];

        Assert.Equal([], await DeliveredAsync(gateway, everyone, tenant: "acme", topic: "deals", messageClass: "marketing"));
        Assert.Equal([topicOptOut], await DeliveredAsync(gateway, everyone, tenant: "acme", topic: "news", messageClass: "marketing"));
        Assert.Equal([topicOptOut, tenantOptOut], await DeliveredAsync(gateway, everyone, tenant: "bank", topic: "offers", messageClass: "marketing"));
        Assert.Equal([topicOptOut, tenantOptOut, globalOptOut], await DeliveredAsync(gateway, everyone, tenant: "acme", topic: "deals", messageClass: "transactional"));

        // bank's mail is transactional unless it says otherwise.
        Assert.Equal([topicOptOut, tenantOptOut, globalOptOut], await DeliveredAsync(gateway, everyone, tenant: "bank", topic: null, messageClass: null));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_link_in_a_lists_message_stops_that_list_and_the_tenants_other_lists_still_arrive(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var reader = Mail.UniqueAddress("reader");
        Assert.Equal([reader], await DeliveredAsync(gateway, [reader], tenant: "acme", topic: null, messageClass: null, listId: "Acme Deals <deals.acme.example>"));
        var header = MimeMessage.Load(new MemoryStream(Assert.Single(fixture.Sink.Messages).Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var link = new Uri(header[1..header.IndexOf('>', StringComparison.Ordinal)]);

        using (var unsubscribed = await fixture.Client.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        }

        Assert.Equal([], await DeliveredAsync(gateway, [reader], tenant: "acme", topic: null, messageClass: null, listId: "<deals.acme.example>"));
        Assert.Equal([reader], await DeliveredAsync(gateway, [reader], tenant: "acme", topic: null, messageClass: null, listId: "<news.acme.example>"));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, reader));
        Assert.Equal("topic:acme/deals.acme.example", record.GetProperty("scope").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_opt_out_of_one_spelling_stops_every_variant_of_the_mailbox(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var local = "j.doe" + Guid.NewGuid().ToString("N")[..8];
        await SuppressAsync(gateway, $"{local.ToUpperInvariant()}+promo@Gmail.com", "global", "unsubscribe");
        var variants = new[] { $"{local.Replace(".", string.Empty, StringComparison.Ordinal)}@googlemail.com", $"{local}+news@gmail.com", $"{local}@gmail.com" };
        var stranger = $"{local}@example.com";

        Assert.Equal([stranger], await DeliveredAsync(gateway, [.. variants, stranger], tenant: null, topic: null, messageClass: null));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Relay_mail_that_names_no_tenant_answers_to_every_tenants_opt_outs_and_carries_the_global_link(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var acmeOptOut = Mail.UniqueAddress("acme-wide");
        var bankOptOut = Mail.UniqueAddress("bank-wide");
        var dealsOptOut = Mail.UniqueAddress("acme-deals");
        var reader = Mail.UniqueAddress("reader");
        await SuppressAsync(gateway, acmeOptOut, "tenant:acme", "unsubscribe");
        await SuppressAsync(gateway, bankOptOut, "tenant:bank", "complaint");
        await SuppressAsync(gateway, dealsOptOut, "topic:acme/deals.acme.example", "unsubscribe");
        string[] everyone = [acmeOptOut, bankOptOut, dealsOptOut, reader];

        Assert.Equal([dealsOptOut, reader], await DeliveredAsync(gateway, everyone, tenant: null, topic: null, messageClass: null));
        var link = UnsubscribeLinkOf(fixture.Sink.Messages.Single(copy => copy.Recipients[0] == reader));
        Assert.Equal([reader], await DeliveredAsync(gateway, everyone, tenant: null, topic: null, messageClass: null, listId: "Acme Deals <deals.acme.example>"));

        // Named, acme's mail answers to acme's opt-outs only.
        Assert.Equal([bankOptOut, dealsOptOut, reader], await DeliveredAsync(gateway, everyone, tenant: "acme", topic: null, messageClass: null));
        Assert.True(fixture.Codec.TryDecode(link.Segments[^1], DateTimeOffset.UtcNow, out var token, out _));
        Assert.Equal((null, null), (token.Tenant, token.Topic));
        var blocked = await AuditTrail.ForAsync(gateway, acmeOptOut, blocked: true);
        Assert.Equal(
            [("tenant:acme", null), ("tenant:acme", null), ("tenant:acme", "acme")],
            blocked.Select(record => (record.GetProperty("scope").GetString(), record.TryGetProperty("tenant", out var tenant) ? tenant.GetString() : null)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_tenant_with_declared_topics_cannot_name_another_so_a_new_list_id_does_not_escape_a_topic_opt_out(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var reader = Mail.UniqueAddress("weekly-reader");
        await SuppressAsync(gateway, reader, "topic:club/weekly.club.example", "unsubscribe");

        Assert.Equal([], await DeliveredAsync(gateway, [reader], tenant: "club", topic: null, messageClass: null, listId: "Club Weekly <weekly.club.example>"));
        Assert.Equal([reader], await DeliveredAsync(gateway, [reader], tenant: "club", topic: null, messageClass: null, listId: "<news.club.example>"));
        foreach (var (topic, listId) in new (string? Topic, string? ListId)[] { (null, "Club Weekly, issue 2 <weekly-2.club.example>"), ("weekly", null), (null, "<WEEKLY.club.example.evil>") })
        {
            fixture.Sink.Messages.Clear();
            var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(
                () => DeliveredAsync(gateway, [reader], tenant: "club", topic: topic, messageClass: null, listId: listId));
            Assert.Equal(550, (int)refused.StatusCode);
            Assert.Contains("has not declared the topic", refused.Message, StringComparison.Ordinal);
            Assert.Empty(fixture.Sink.Messages);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_tenant_with_declared_topics_must_name_one_so_leaving_out_the_list_id_does_not_escape_a_topic_opt_out(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var reader = Mail.UniqueAddress("weekly-reader");
        await SuppressAsync(gateway, reader, "topic:club/weekly.club.example", "unsubscribe");

        var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(
            () => DeliveredAsync(gateway, [reader], tenant: "club", topic: null, messageClass: null));

        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("must name one", refused.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Sink.Messages);
    }

    private static Uri UnsubscribeLinkOf(ReceivedMessage copy)
    {
        var header = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        return new Uri(header[1..header.IndexOf('>', StringComparison.Ordinal)]);
    }

    private async Task<List<string>> DeliveredAsync(
        GatewayInstance gateway, string[] recipients, string? tenant, string? topic, string? messageClass, string? listId = null)
    {
        fixture.Sink.Messages.Clear();
        var message = Mail.Create("news@sender.test", recipients);
        if (tenant is not null)
        {
            message.Headers.Add("X-Suppression-Tenant", tenant);
        }

        if (topic is not null)
        {
            message.Headers.Add("X-Suppression-Topic", topic);
        }

        if (messageClass is not null)
        {
            message.Headers.Add("X-Suppression-Class", messageClass);
        }

        if (listId is not null)
        {
            message.Headers.Add("List-Id", listId);
        }

        await Mail.SendAsync(gateway.SmtpPort, message);
        Assert.All(fixture.Sink.Messages, copy => Assert.DoesNotContain("X-Suppression-", copy.Text, StringComparison.OrdinalIgnoreCase));
        return fixture.Sink.Messages.Select(copy => Assert.Single(copy.Recipients)).ToList();
    }

    private static async Task SuppressAsync(GatewayInstance gateway, string address, string scope, string reason)
    {
        using var response = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope, reason });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
