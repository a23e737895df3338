using System.Net;
using System.Net.Http.Json;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// Issue 16, item 3: a client sends a message again after each 451, and the suppressed recipient's
/// blocked delivery is still one record in the audit trail, naming the tenant the message was sent for.
/// </summary>
public sealed class RetriedMessageAuditTests(RetryingClientFixture fixture) : IClassFixture<RetryingClientFixture>
{
    [Fact]
    public async Task A_blocked_delivery_is_recorded_once_with_its_tenant_however_often_the_client_retries()
    {
        var gateway = fixture.Reset();
        var (blocked, reader) = (Mail.UniqueAddress("blocked"), Mail.UniqueAddress("reader"));
        using (var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = blocked, scope = "tenant:" + RetryingClientFixture.Tenant, reason = "unsubscribe" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var deferrals = 0;
        fixture.Sink.RcptReply = address => address == reader && Interlocked.Increment(ref deferrals) <= 2 ? "451 4.2.1 Mailbox busy" : null;
        var message = $"From: <news@acme.example>\r\nTo: undisclosed-recipients:;\r\nMessage-ID: <{Guid.NewGuid():N}@acme.example>\r\nSubject: Offer\r\n\r\nHello\r\n";

        var replies = new List<string>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            // The fourth: a client that lost the 250 sends the message once more.
            var reply = await PartialRefusalTests.SendAsync(gateway, "news@acme.example", [blocked, reader], message, login: true);
            replies.Add(reply[..3]);
        }

        Assert.Equal(["451", "451", "250", "250"], replies);
        Assert.All(fixture.Sink.Messages, copy => Assert.Equal([reader], copy.Recipients));
        var records = await AuditTrail.ForAsync(gateway, blocked, blocked: true);
        var record = Assert.Single(records);
        Assert.Equal(("blocked", RetryingClientFixture.Tenant), (record.GetProperty("type").GetString(), record.GetProperty("tenant").GetString()));
    }
}
