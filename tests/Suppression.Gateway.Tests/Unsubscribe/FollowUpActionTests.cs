using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// After the unsubscribe: the audit record it leaves, widening a list's opt-out to the whole sender,
/// and undo within the window (re-consent by the link's holder, audited).
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class FollowUpActionTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    private static readonly Dictionary<string, string> OneClickBody = new() { ["List-Unsubscribe"] = "One-Click" };
    private static readonly Dictionary<string, string> PageFormBody = new() { ["source"] = "page" };

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Every_unsubscribe_request_is_audited_with_source_tenant_topic_time_ip_and_user_agent(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("audited");
        var token = fixture.Mint(address, "acme", "deals");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, UrlOf(gateway, token)) { Content = new FormUrlEncodedContent(OneClickBody) };
            request.Headers.UserAgent.ParseAdd("ExampleMail-OneClick/2.1");
            using var response = await fixture.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var records = await AuditTrail.ForAsync(gateway, address);
        Assert.Equal(2, records.Count);
        Assert.All(records, record =>
        {
            Assert.Equal("suppressed", record.GetProperty("type").GetString());
            Assert.Equal("one-click", record.GetProperty("source").GetString());
            Assert.Equal("unsubscribe", record.GetProperty("reason").GetString());
            Assert.Equal("topic:acme/deals", record.GetProperty("scope").GetString());
            Assert.Equal("acme", record.GetProperty("tenant").GetString());
            Assert.Equal("deals", record.GetProperty("topic").GetString());
            Assert.Equal("127.0.0.1", record.GetProperty("clientIp").GetString());
            Assert.Equal("ExampleMail-OneClick/2.1", record.GetProperty("userAgent").GetString());
            Assert.InRange(record.GetProperty("time").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
        });

        // The repeated click is on record too, and says it changed nothing.
        Assert.Equal([true, false], records.Select(record => record.GetProperty("changed").GetBoolean()));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_list_opt_out_can_be_widened_to_the_sender_and_both_undone_from_the_page(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("changes-mind");
        var token = fixture.Mint(address, "acme", "deals");

        using var done = await PostAsync(UrlOf(gateway, token), PageFormBody);
        var donePage = await UnsubscribeApiTests.PageAsync(done, HttpStatusCode.OK);
        Assert.Contains($"<form method=\"post\" action=\"{token}/widen?lang=en\">", donePage, StringComparison.Ordinal);
        Assert.Contains($"<form method=\"post\" action=\"{token}/undo?lang=en\">", donePage, StringComparison.Ordinal);
        Assert.Contains("15 minutes", donePage, StringComparison.Ordinal);

        // The browser resolves the form's relative action against the page's URL, and sends its hidden field.
        using var widened = await PostAsync(new Uri(UrlOf(gateway, token), $"{token}/widen"), UndoFieldOf(donePage));
        var widenedPage = await UnsubscribeApiTests.PageAsync(widened, HttpStatusCode.OK);
        Assert.Contains("all mail from acme", widenedPage, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"undo?lang=en\">", widenedPage, StringComparison.Ordinal);
        Assert.Equal(["tenant:acme", "topic:acme/deals"], (await ScopesAsync(gateway, address)).Order(StringComparer.Ordinal));

        using var undone = await PostAsync(new Uri(new Uri(UrlOf(gateway, token), $"{token}/widen"), "undo"), UndoFieldOf(widenedPage));
        var undonePage = await UnsubscribeApiTests.PageAsync(undone, HttpStatusCode.OK);
        Assert.Contains("subscribed again", undonePage, StringComparison.Ordinal);
        Assert.Empty(await ScopesAsync(gateway, address));

        var trail = (await AuditTrail.ForAsync(gateway, address))
            .Select(record => $"{record.GetProperty("type").GetString()} {record.GetProperty("scope").GetString()} {record.GetProperty("source").GetString()}")
            .ToList();
        Assert.Equal(["suppressed topic:acme/deals page", "widened tenant:acme page"], trail[..2]);
        Assert.Equal(["resubscribed tenant:acme page", "resubscribed topic:acme/deals page"], trail[2..].Order(StringComparer.Ordinal));
        var undoRecords = (await AuditTrail.ForAsync(gateway, address)).Skip(2).ToList();
        Assert.All(undoRecords, record => Assert.StartsWith("undo on the confirmation page", record.GetProperty("evidence").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Undo_never_removes_what_the_recipient_did_not_do_with_this_link(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("complained");
        using (var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope = "tenant:acme", reason = "complaint" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using var undo = await PostAsync(new Uri(UrlOf(gateway, fixture.Mint(address, "acme", "deals")) + "/undo"), []);

        var page = await UnsubscribeApiTests.PageAsync(undo, HttpStatusCode.OK);
        Assert.Contains("Nothing to undo", page, StringComparison.Ordinal);
        Assert.Equal(["tenant:acme"], await ScopesAsync(gateway, address));

        // The API's own record of the complaint, and nothing from the undo.
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, address));
        Assert.Equal(("suppressed", "api"), (record.GetProperty("type").GetString(), record.GetProperty("source").GetString()));
        Assert.StartsWith("api-key:admin:", record.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Undo_from_an_earlier_links_page_leaves_a_newer_unsubscribe_from_another_link(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("two-links");
        var linkA = fixture.Mint(address, "acme", "deals", DateTimeOffset.UtcNow.AddDays(-7));
        var linkB = fixture.Mint(address, "acme", "deals");

        using var doneA = await PostAsync(UrlOf(gateway, linkA), PageFormBody);
        var pageA = await UnsubscribeApiTests.PageAsync(doneA, HttpStatusCode.OK);

        // A provider's one-click through this week's message: the opt-out is that request's too now.
        using var doneB = await PostAsync(UrlOf(gateway, linkB), OneClickBody);
        var pageB = await UnsubscribeApiTests.PageAsync(doneB, HttpStatusCode.OK);
        Assert.DoesNotContain("/undo\"", pageB, StringComparison.Ordinal);

        using var undoA = await PostAsync(new Uri(UrlOf(gateway, linkA) + "/undo"), UndoFieldOf(pageA));
        Assert.Contains("can no longer be undone", await UnsubscribeApiTests.PageAsync(undoA, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(["topic:acme/deals"], await ScopesAsync(gateway, address));

        // Nor can A's page be pointed at B's record: a binding is sealed for its own link.
        using var borrowed = await PostAsync(new Uri(UrlOf(gateway, linkB) + "/undo"), UndoFieldOf(pageA));
        Assert.Contains("Nothing to undo", await UnsubscribeApiTests.PageAsync(borrowed, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Equal(["topic:acme/deals"], await ScopesAsync(gateway, address));
        Assert.DoesNotContain(await AuditTrail.ForAsync(gateway, address), record => record.GetProperty("type").GetString() == "resubscribed");
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Undo_from_the_newest_links_page_works_and_only_once(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("newest-link");
        var linkA = fixture.Mint(address, "acme", "deals", DateTimeOffset.UtcNow.AddDays(-7));
        var linkB = fixture.Mint(address, "acme", "deals");

        // A's unsubscribe, undone from its page, then B's: B's page undoes B's.
        using (var doneA = await PostAsync(UrlOf(gateway, linkA), PageFormBody))
        using (var undoA = await PostAsync(new Uri(UrlOf(gateway, linkA) + "/undo"), UndoFieldOf(await UnsubscribeApiTests.PageAsync(doneA, HttpStatusCode.OK))))
        {
            await UnsubscribeApiTests.PageAsync(undoA, HttpStatusCode.OK);
        }

        using var doneB = await PostAsync(UrlOf(gateway, linkB), PageFormBody);
        var pageB = await UnsubscribeApiTests.PageAsync(doneB, HttpStatusCode.OK);
        using var undoB = await PostAsync(new Uri(UrlOf(gateway, linkB) + "/undo"), UndoFieldOf(pageB));
        Assert.Contains("subscribed again", await UnsubscribeApiTests.PageAsync(undoB, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Empty(await ScopesAsync(gateway, address));

        // Pressing Undo again changes nothing: the opt-out it added is gone.
        using var again = await PostAsync(new Uri(UrlOf(gateway, linkB) + "/undo"), UndoFieldOf(pageB));
        Assert.Contains("Nothing to undo", await UnsubscribeApiTests.PageAsync(again, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Equal(2, (await AuditTrail.ForAsync(gateway, address)).Count(record => record.GetProperty("type").GetString() == "resubscribed"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Widening_needs_a_list_token_and_a_bad_token_changes_nothing(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("narrow");
        var senderToken = fixture.Mint(address, "acme");
        var listToken = fixture.Mint(address, "acme", "deals");
        var tampered = listToken[..20] + (listToken[20] == 'x' ? 'y' : 'x') + listToken[21..];

        using (var senderWide = await PostAsync(new Uri(UrlOf(gateway, senderToken) + "/widen"), []))
        {
            Assert.Contains("Nothing wider to stop", await UnsubscribeApiTests.PageAsync(senderWide, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        foreach (var action in new[] { "/widen", "/undo" })
        {
            using var forged = await PostAsync(new Uri(UrlOf(gateway, tampered) + action), []);
            Assert.Contains("not valid", await UnsubscribeApiTests.PageAsync(forged, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        Assert.Empty(await ScopesAsync(gateway, address));
        Assert.Empty(await AuditTrail.ForAsync(gateway, address));
    }

    // The hidden field the page's Undo and widen forms send.
    private static Dictionary<string, string> UndoFieldOf(string page)
    {
        var match = System.Text.RegularExpressions.Regex.Match(page, "name=\"undo\" value=\"(?<binding>[^\"]+)\"");
        Assert.True(match.Success, "the page has no undo field: " + page);
        return new() { ["undo"] = WebUtility.HtmlDecode(match.Groups["binding"].Value) };
    }

    private static Uri UrlOf(GatewayInstance gateway, string token) => new($"http://127.0.0.1:{gateway.HttpPort}/u/{token}");

    private async Task<HttpResponseMessage> PostAsync(Uri url, Dictionary<string, string> form) =>
        await fixture.Client.PostAsync(url, new FormUrlEncodedContent(form));

    private static async Task<List<string>> ScopesAsync(GatewayInstance gateway, string address)
    {
        using var response = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("scope").GetString()!).ToList();
    }
}
