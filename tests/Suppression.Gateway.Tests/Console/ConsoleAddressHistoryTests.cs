using System.Net;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Console;

/// <summary>One address's history on /console/address, from an unsubscribe and a blocked delivery made for real.</summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleAddressHistoryTests(ConsoleFixture fixture)
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_history_shows_the_one_click_unsubscribe_then_the_blocked_delivery_with_its_message_id(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("history");
        var messageId = await fixture.UnsubscribeThenBlockAsync(gateway, address);
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        // Typed as a person might: the page normalizes it as the gateway does.
        var page = await client.SubmitAsync("/console/address", "/console/address", ("address", "  " + address.ToUpperInvariant() + " "));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var current = Assert.Single(RecordRows.In(page.Body, "current"));
        Assert.Equal(("global", "unsubscribe", "one-click"), (current["Scope"], current["Reason"], current["Source"]));
        var history = RecordRows.In(page.Body, "history");
        Assert.Equal(["suppressed", "blocked"], history.Select(row => row["Type"]));
        Assert.All(history, row => Assert.Equal(address, row["Address"]));
        var (unsubscribe, blocked) = (history[0], history[1]);
        Assert.Equal(("unsubscribe", "one-click", "yes", "token"), (unsubscribe["Reason"], unsubscribe["Source"], unsubscribe["Changed"], unsubscribe["Actor"]));
        Assert.Equal("127.0.0.1", unsubscribe["Client IP"]);
        Assert.Equal((messageId, "news@sender.test", "smtp:127.0.0.1"), (blocked["Message-ID"], blocked["Sender"], blocked["Actor"]));
        Assert.True(string.CompareOrdinal(unsubscribe["Time"], blocked["Time"]) <= 0, "the records are not in the order they happened");
        Assert.Contains("<h2 id=\"history\">History: 2 records</h2>", page.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_address_download_is_a_post_and_equals_the_api_export_of_that_address(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("download");
        await fixture.UnsubscribeThenBlockAsync(gateway, address);
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var csv = await client.SubmitAsync("/console/address", "/console/download/address", ("address", address), ("format", "csv"));
        var ndjson = await client.SubmitAsync("/console/address", "/console/download/address", ("address", address), ("format", "ndjson"));

        Assert.Equal(HttpStatusCode.OK, csv.Status);
        Assert.StartsWith("attachment; filename=\"audit-", csv.Header("Content-Disposition"), StringComparison.Ordinal);
        Assert.Equal(await ApiExportAsync(gateway, $"/api/v1/audit?format=csv&address={Uri.EscapeDataString(address)}"), csv.Body);
        Assert.Equal(3, csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(await ApiExportAsync(gateway, $"/api/v1/audit?format=ndjson&address={Uri.EscapeDataString(address)}"), ndjson.Body);
    }

    [Fact]
    public async Task An_invalid_address_shows_the_form_again_with_the_reason_and_400()
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var page = await client.SubmitAsync("/console/address", "/console/address", ("address", "<b>not an address</b>"));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("<p class=\"error\" role=\"alert\" id=\"address-error\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;b&gt;not an address&lt;/b&gt;\"", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>not", page.Body, StringComparison.Ordinal);
    }

    private static async Task<string> ApiExportAsync(GatewayInstance gateway, string pathAndQuery)
    {
        using var response = await gateway.Http.GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
