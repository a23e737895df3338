using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// /console/audit and the downloads: the filter, the pages and their cursor, and files equal to the
/// API's for the same filter. The whole trail is compared, so these run on the embedded store, which
/// only this collection's tests write to (a shared Redis has other runs' records arriving meanwhile).
/// </summary>
[Collection(ConsoleTests.Name)]
public sealed partial class ConsoleAuditTests(ConsoleFixture fixture)
{
    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Filtering_by_type_shows_only_records_of_that_type_and_the_downloads_keep_the_filter()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var address = Mail.UniqueAddress("filter");
        var messageId = await fixture.UnsubscribeThenBlockAsync(gateway, address);
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var page = await client.GetAsync("/console/audit?type=blocked");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var rows = RecordRows.In(page.Body, "records");
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal("blocked", row["Type"]));
        Assert.Contains(rows, row => row["Address"] == address && row["Message-ID"] == messageId);
        Assert.Contains("<input type=\"checkbox\" name=\"type\" value=\"blocked\" checked>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<input type=\"checkbox\" name=\"type\" value=\"suppressed\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/download/audit?format=csv&amp;type=blocked\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/download/audit?format=ndjson&amp;type=blocked\"", page.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("ndjson")]
    public async Task The_audit_download_equals_the_api_export_for_the_same_filter(string format)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        await fixture.UnsubscribeThenBlockAsync(gateway, Mail.UniqueAddress("export"));
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);
        var filter = $"type=blocked&type=suppressed&from={Today}&to={Today}";

        var download = await client.GetAsync($"/console/download/audit?format={format}&{filter}");
        var api = await ApiAsync(gateway, $"/api/v1/audit?format={format}&{filter}");

        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.StartsWith("attachment;", download.Header("Content-Disposition"), StringComparison.Ordinal);
        var (downloaded, exported) = (Lines(download.Body), Lines(api));
        if (format == "csv")
        {
            Assert.Equal(exported[0], downloaded[0]);
            (downloaded, exported) = (downloaded[1..], exported[1..]);
        }

        Assert.True(downloaded.Length >= 2, $"the filter matched {downloaded.Length} records");
        Assert.Equal(exported, downloaded);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("ndjson")]
    public async Task The_suppression_list_download_equals_the_api_export(string format)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var download = await client.GetAsync($"/console/download/suppressions?format={format}");

        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal(Lines(await ApiAsync(gateway, $"/api/v1/suppressions/export?format={format}")), Lines(download.Body));
    }

    [Fact]
    public async Task A_page_holds_100_records_and_its_next_link_continues_after_the_last_one()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        await Parallel.ForEachAsync(Enumerable.Range(0, 101), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, cancellationToken) =>
        {
            using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = Mail.UniqueAddress("page"), reason = "manual" }, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        });
        var expected = Lines(await ApiAsync(gateway, "/api/v1/audit?format=csv&type=suppressed")).Length - 1;
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var seen = new List<Dictionary<string, string>>();
        var pages = 0;
        for (var path = "/console/audit?type=suppressed"; path is not null; pages++)
        {
            var page = await client.GetAsync(path);
            Assert.True(page.Status == HttpStatusCode.OK, $"GET {path}: {page}");
            var rows = RecordRows.In(page.Body, "records");
            Assert.All(rows, row => Assert.Equal("suppressed", row["Type"]));
            path = NextPageLink().Match(page.Body) is { Success: true } next ? WebUtility.HtmlDecode(next.Groups["href"].Value) : null;
            Assert.True(rows.Count == 100 || path is null, $"page {pages + 1} has {rows.Count} records and a next page");
            seen.AddRange(rows);
        }

        Assert.True(pages >= 2, "101 new records fit on one page");
        Assert.Equal(expected, seen.Count);
        Assert.Equal(seen.Count, seen.Select(row => row["Record"]).Distinct().Count());
    }

    [Theory]
    [InlineData("/console/audit?from=last-tuesday", "from: Use an ISO 8601 date")]
    [InlineData("/console/audit?type=deleted", "type: &#39;deleted&#39; is not a record type")]
    [InlineData("/console/audit?after=not-a-cursor", "after: ")]
    [InlineData("/console/download/audit?format=csv&to=tomorrow", "to: Use an ISO 8601 date")]
    [InlineData("/console/download/audit?format=xlsx", "Downloads come as format=csv or format=ndjson")]
    public async Task An_unusable_filter_or_format_is_400_with_the_reason(string path, string reason)
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var page = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("<p class=\"error\" role=\"alert\">" + reason, page.Body, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);

    private static async Task<string> ApiAsync(GatewayInstance gateway, string pathAndQuery)
    {
        using var response = await gateway.Http.GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("<a href=\"(?<href>[^\"]+)\" rel=\"next\">")]
    private static partial Regex NextPageLink();
}
