using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Suppression.Gateway.Tests.Console;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// The transactional class passes unsubscribes and complaints, so it is a tenant's permission
/// (Suppression:Tenants:N:AllowTransactional): asked for without it, however the header is spelt,
/// the message is refused; used with it, every copy that passes a marketing opt-out is on record
/// (audit type overridden), counted, and shown in the console.
/// </summary>
public sealed partial class TransactionalPermissionTests : IAsyncLifetime
{
    private const string ComplianceKey = "transactional-compliance-key-0123456789";

    private readonly TestSmtpSink _sink = new();
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await GatewayInstance.StartAsync(redis: null, _sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Compliance:ApiKeys:0"] = ComplianceKey,
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:AllowTransactional"] = "true",
            ["Suppression:Tenants:1:Id"] = "beta",
        });

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Theory]
    [InlineData("X-Suppression-Tenant: beta\r\n", "X-Suppression-Class: transactional\r\n")]
    [InlineData("X-Suppression-Tenant: beta\r\n", "x-suppression-class:    TransActional   \r\n")]
    [InlineData("X-Suppression-Tenant: beta\r\n", "X-SUPPRESSION-CLASS:\r\n\ttransactional\r\n")]
    [InlineData("", "X-Suppression-Class: transactional\r\n")]
    [InlineData("", "X-Suppression-Class:\r\n  transactional \r\n")]
    public async Task Transactional_mail_without_the_tenants_permission_is_refused_after_data_and_nothing_is_relayed(string tenantHeader, string classHeader)
    {
        var optedOut = Mail.UniqueAddress("opted-out");
        await SuppressAsync(optedOut, "global", "unsubscribe");

        var reply = await SendAsync(tenantHeader + classHeader, optedOut);

        Assert.StartsWith("550 5.7.1", reply);
        Assert.Contains("transactional", reply, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_sink.Messages);
        Assert.Empty(await AuditTrail.ForAsync(_gateway, optedOut, blocked: true));
    }

    [Fact]
    public async Task A_permitted_transactional_copy_past_a_marketing_opt_out_is_relayed_and_recorded_as_overridden()
    {
        var unsubscribed = Mail.UniqueAddress("unsubscribed");
        var complained = Mail.UniqueAddress("complained");
        var clean = Mail.UniqueAddress("clean");
        await SuppressAsync(unsubscribed, "global", "unsubscribe");
        await SuppressAsync(complained, "tenant:acme", "complaint");

        var reply = await SendAsync("X-Suppression-Tenant: acme\r\nX-Suppression-Class: transactional\r\n", unsubscribed, complained, clean);

        Assert.StartsWith("250 2.0.0", reply);
        Assert.Equal(new[] { clean, complained, unsubscribed }.Order(), _sink.Messages.Select(copy => Assert.Single(copy.Recipients)).Order());
        foreach (var (address, scope, reason) in new[] { (unsubscribed, "global", "unsubscribe"), (complained, "tenant:acme", "complaint") })
        {
            var record = Assert.Single(await AuditTrail.ForAsync(_gateway, address, blocked: true));
            Assert.Equal(
                ("overridden", scope, reason, "acme", MessageId, "billing@acme.test"),
                (Text(record, "type"), Text(record, "scope"), Text(record, "reason"), Text(record, "tenant"), Text(record, "messageId"), Text(record, "sender")));
        }

        Assert.Empty(await AuditTrail.ForAsync(_gateway, clean, blocked: true));
        using var metrics = await _gateway.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches(OverriddenMetric(), await metrics.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_console_filters_overridden_opt_outs_and_counts_them_on_the_dashboard()
    {
        var unsubscribed = Mail.UniqueAddress("console");
        await SuppressAsync(unsubscribed, "global", "unsubscribe");
        Assert.StartsWith("250 2.0.0", await SendAsync("X-Suppression-Tenant: acme\r\nX-Suppression-Class: transactional\r\n", unsubscribed));
        using var console = new ConsoleClient(_gateway, from: null, () => string.Empty);
        await console.SignInAsync(ComplianceKey);

        var page = await console.GetAsync("/console/audit?type=overridden");
        var dashboard = (await console.GetAsync("/console")).Body;

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var row = Assert.Single(RecordRows.In(page.Body, "records"));
        Assert.Equal(("overridden", unsubscribed, MessageId), (row["Type"], row["Address"], row["Message-ID"]));
        Assert.Contains("<input type=\"checkbox\" name=\"type\" value=\"overridden\" checked>", page.Body, StringComparison.Ordinal);
        Assert.Contains("fill=\"currentColor\">Overridden opt-outs</text>", dashboard, StringComparison.Ordinal);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Matches($"<tr><th scope=\"row\">{today}</th>(<td class=\"num\">[\\d,]+</td>){{4}}<td class=\"num\">1</td></tr>", dashboard);
    }

    private const string MessageId = "receipt-1@acme.test";

    private async Task<string?> SendAsync(string instructions, params string[] recipients)
    {
        await using var client = await RawSmtpClient.GreetedAsync(_gateway.SmtpPort, "client.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<billing@acme.test>"));
        foreach (var recipient in recipients)
        {
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(
            $"From: <billing@acme.test>\r\nTo: <{recipients[0]}>\r\nSubject: Your receipt\r\nMessage-ID: <{MessageId}>\r\n"
            + instructions + "\r\nThank you for your order.\r\n.\r\n");
        return await client.ReadReplyAsync();
    }

    private async Task SuppressAsync(string address, string scope, string reason)
    {
        using var response = await _gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope, reason });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static string? Text(System.Text.Json.JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) ? value.GetString() : null;

    [GeneratedRegex("suppression_smtp_recipients_overridden_total\\{[^}]*reason=\"unsubscribe\"[^}]*\\} [1-9]")]
    private static partial Regex OverriddenMetric();
}
