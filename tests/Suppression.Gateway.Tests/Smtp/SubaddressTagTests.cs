using System.Net;
using System.Net.Http.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// Sub-address tags (RFC 5233) reach the mailbox they hang off, so an opt-out of the mailbox covers
/// them: also inside a quoted local part, and with the delimiters the recipients' servers use
/// (Suppression:Addresses:TagDelimiters), everywhere an address is looked up (issue 15, item 7).
/// </summary>
public sealed class SubaddressTagTests
{
    [Fact]
    public async Task Quoted_local_part_with_a_tag_is_dropped_for_the_opted_out_mailbox()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port);
        var name = $"alice-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = $"{name}@example.com" })).StatusCode);
        var subscriber = Mail.UniqueAddress("subscriber");

        await SendAsync(gateway, [$"\"{name}+promo x\"@example.com", $"\"{name}+ \"@example.com", $"\"{name.ToUpperInvariant()}+\\\"x\\\"\"@example.com", subscriber]);

        Assert.Equal([subscriber], Assert.Single(sink.Messages).Recipients);
    }

    [Fact]
    public async Task Configured_tag_delimiters_apply_at_rcpt_and_in_the_api()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Addresses:TagDelimiters"] = "+-",
        });
        var name = $"alice{Guid.NewGuid():N}";
        var other = $"bob{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = $"{name}-news@corp.example" })).StatusCode);

        // The API finds the opt-out under any tag of the mailbox, and one written with a tag is the mailbox's.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync($"/api/v1/suppressions/{name}@corp.example")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync($"/api/v1/suppressions/{name}+x@corp.example")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.GetAsync($"/api/v1/suppressions/{other}@corp.example")).StatusCode);

        await SendAsync(gateway, [$"{name}-promo@corp.example", $"\"{name}-promo x\"@corp.example", $"{name}@corp.example", $"{other}-promo@corp.example"]);

        Assert.Equal([$"{other}-promo@corp.example"], Assert.Single(sink.Messages).Recipients);
    }

    private static async Task SendAsync(GatewayInstance gateway, IEnumerable<string> recipients)
    {
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "tenant.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));
        foreach (var recipient in recipients)
        {
            Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("Subject: tags\r\n\r\nHello\r\n."));
    }
}
