using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// Issue 22's preference page through the real gateway: every visible list of the sender with the
/// mailbox's state, the whole form saved at once (one audited change per list), opting back in
/// only to the recipient's own opt-outs, and the next mails through SMTP dropped or delivered
/// accordingly. Tenant outdoor of <see cref="UnsubscribeFixture"/> has the catalogue.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed partial class PreferencePageTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    private const string Backend = "embedded";
    private const string UserAgent = "ExampleBrowser/9.0";
    private static readonly string[] Lists = ["deals", "news", "tips", "events"];

    [Fact]
    public async Task A_recipient_unticks_two_lists_and_ticks_one_back_and_the_next_mails_follow_their_choices()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("reader");
        Assert.Equal([reader], await DeliveredAsync(gateway, reader, "deals"));
        var link = LinkOf(Assert.Single(fixture.Sink.Messages));

        var page = await ShowAsync(link);
        Assert.Contains("Outdoor &amp; Co", page, StringComparison.Ordinal);
        Assert.DoesNotContain("this gateway", page, StringComparison.Ordinal);
        Assert.Contains("r\u2022\u2022\u2022@example.com", page, StringComparison.Ordinal);
        Assert.Equal(Lists, TickedLists(page));
        Assert.Equal(Lists, ShownLists(page));
        Assert.Matches("<label for=\"topic-0\">Deals <strong class=\"mark\">\\(the list this message came from\\)</strong></label>", page);
        Assert.Equal(1, Regex.Count(page, "the list this message came from"));
        Assert.Contains("Weekly offers on gear", page, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe from all mail from Outdoor &amp; Co", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://outdoor.example/privacy\">", page, StringComparison.Ordinal);

        var saved = await SaveAsync(link, ShownLists(page), ticked: ["deals", "events"]);
        Assert.Contains("will no longer receive: News, Trail tips.", saved, StringComparison.Ordinal);
        Assert.Equal(["deals", "events"], TickedLists(await ShowAsync(link)));

        saved = await SaveAsync(link, ShownLists(await ShowAsync(link)), ticked: ["deals", "events", "tips"]);
        Assert.Contains("will receive again: Trail tips.", saved, StringComparison.Ordinal);
        Assert.Equal(["deals", "tips", "events"], TickedLists(await ShowAsync(link)));

        foreach (var (list, delivered) in new[] { ("deals", true), ("news", false), ("tips", true), ("events", true) })
        {
            var copies = await DeliveredAsync(gateway, reader, list);
            Assert.True(delivered == (copies.Count == 1), $"{list} should be {(delivered ? "delivered" : "dropped")}");
        }

        var trail = await AuditTrail.ForAsync(gateway, reader);
        Assert.Equal(
            ["resubscribed topic:outdoor/tips", "suppressed topic:outdoor/news", "suppressed topic:outdoor/tips"],
            trail.Select(record => $"{record.GetProperty("type").GetString()} {record.GetProperty("scope").GetString()}").Order(StringComparer.Ordinal));
        Assert.All(trail, record =>
        {
            Assert.Equal("preferences", record.GetProperty("source").GetString());
            Assert.Equal("unsubscribe", record.GetProperty("reason").GetString());
            Assert.Equal("token", record.GetProperty("actor").GetString());
            Assert.Equal("127.0.0.1", record.GetProperty("clientIp").GetString());
            Assert.Equal(UserAgent, record.GetProperty("userAgent").GetString());
            Assert.Equal("outdoor", record.GetProperty("tenant").GetString());
            Assert.True(record.GetProperty("changed").GetBoolean());
        });
        Assert.StartsWith(
            "opted back in on the preference page (the preferences unsubscribe of ",
            trail.Single(record => record.GetProperty("type").GetString() == "resubscribed").GetProperty("evidence").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_the_form_unchanged_writes_nothing_and_says_so()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("content");
        var link = UrlOf(gateway, fixture.Mint(reader, "outdoor", "news"));

        var saved = await SaveAsync(link, Lists, ticked: Lists);

        Assert.Contains("these were already your choices", saved, StringComparison.Ordinal);
        Assert.Empty(await AuditTrail.ForAsync(gateway, reader));
    }

    [Fact]
    public async Task All_mail_from_the_sender_can_be_stopped_and_turned_back_on_by_the_recipient()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("all-or-nothing");
        var link = UrlOf(gateway, fixture.Mint(reader, "outdoor", "news"));

        Assert.Contains("will no longer receive: all mail from Outdoor &amp; Co.", await SaveAsync(link, Lists, ticked: Lists, stopAll: true), StringComparison.Ordinal);
        Assert.Empty(await DeliveredAsync(gateway, reader, "events"));
        Assert.Contains("name=\"all\" value=\"stop\" checked", await ShowAsync(link), StringComparison.Ordinal);

        Assert.Contains("will receive again: all mail from Outdoor &amp; Co.", await SaveAsync(link, Lists, ticked: Lists), StringComparison.Ordinal);
        Assert.Equal([reader], await DeliveredAsync(gateway, reader, "events"));
        Assert.Equal(
            ["resubscribed tenant:outdoor preferences", "suppressed tenant:outdoor preferences"],
            (await AuditTrail.ForAsync(gateway, reader))
                .Select(record => $"{record.GetProperty("type").GetString()} {record.GetProperty("scope").GetString()} {record.GetProperty("source").GetString()}")
                .Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_recipient_opts_back_in_to_a_list_they_left_with_one_click_and_to_the_sender_they_stopped_with_widen()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("returning");
        var link = UrlOf(gateway, fixture.Mint(reader, "outdoor", "deals"));
        using (var oneClick = await PostAsync(link, new() { ["List-Unsubscribe"] = "One-Click" }))
        {
            await UnsubscribeApiTests.PageAsync(oneClick, HttpStatusCode.OK);
        }

        using (var widened = await PostAsync(new Uri(link + "/widen"), []))
        {
            await UnsubscribeApiTests.PageAsync(widened, HttpStatusCode.OK);
        }

        var page = await ShowAsync(link);
        Assert.Equal(["news", "tips", "events"], TickedLists(page));
        Assert.Contains("name=\"all\" value=\"stop\" checked", page, StringComparison.Ordinal);

        var saved = await SaveAsync(link, ShownLists(page), ticked: Lists);

        Assert.Contains("will receive again: all mail from Outdoor &amp; Co, Deals.", saved, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(reader));
        Assert.Equal([reader], await DeliveredAsync(gateway, reader, "deals"));
    }

    [Fact]
    public async Task Hidden_lists_are_never_named_though_their_own_link_still_unsubscribes_from_them()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("pilot");
        var link = UrlOf(gateway, fixture.Mint(reader, "outdoor", "pilot-beta"));

        var page = await ShowAsync(link);
        Assert.Contains("Stop sending <strong>this list of Outdoor &amp; Co</strong>", page, StringComparison.Ordinal);
        Assert.Equal(Lists, ShownLists(page));
        Assert.DoesNotContain("the list this message came from", page, StringComparison.Ordinal);
        foreach (var hidden in new[] { "Secret pilot", "pilot-beta", "ops-internal" })
        {
            Assert.DoesNotContain(hidden, page, StringComparison.OrdinalIgnoreCase);
        }

        // A forged "shown" for a hidden list changes nothing either.
        await SaveAsync(link, [.. Lists, "pilot-beta", "ops-internal"], ticked: Lists);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(reader));

        using var oneClick = await PostAsync(link, new() { ["List-Unsubscribe"] = "One-Click" });
        var done = await UnsubscribeApiTests.PageAsync(oneClick, HttpStatusCode.OK);
        Assert.DoesNotContain("Secret pilot", done, StringComparison.Ordinal);
        Assert.Equal(["topic:outdoor/pilot-beta"], await ScopesAsync(gateway, reader));
    }

    [Fact]
    public async Task A_hard_bounced_address_is_offered_no_way_back_in_and_a_forged_form_changes_nothing()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var bounced = Mail.UniqueAddress("bounced");
        using (var oneClick = await PostAsync(UrlOf(gateway, fixture.Mint(bounced, "outdoor", "news")), new() { ["List-Unsubscribe"] = "One-Click" }))
        {
            await UnsubscribeApiTests.PageAsync(oneClick, HttpStatusCode.OK);
        }

        await SuppressAsync(gateway, bounced, "global", "hard-bounce");
        var link = UrlOf(gateway, fixture.Mint(bounced, "outdoor", "deals"));

        var page = await ShowAsync(link);

        Assert.Contains("could not be delivered", page, StringComparison.Ordinal);
        Assert.Contains("This page cannot turn that back on.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"checkbox\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Save my choices", page, StringComparison.Ordinal);

        // The recipient's own opt-out of News stays too: the bounce stops everything anyway.
        var saved = await SaveAsync(link, Lists, ticked: Lists);
        Assert.Contains("Not changed, because this page cannot turn it back on: News.", saved, StringComparison.Ordinal);
        Assert.Equal(["global", "topic:outdoor/news"], (await ScopesAsync(gateway, bounced)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Opting_back_in_never_removes_a_complaint_or_an_entry_the_api_made()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("blocked");
        await SuppressAsync(gateway, reader, "topic:outdoor/news", "complaint");
        await SuppressAsync(gateway, reader, "topic:outdoor/tips", "unsubscribe");
        var link = UrlOf(gateway, fixture.Mint(reader, "outdoor", "deals"));

        var page = await ShowAsync(link);

        // Both are stopped by someone else than the recipient: shown off, and not the form's to change.
        Assert.Equal(["deals", "events"], TickedLists(page));
        Assert.Equal(["deals", "events"], ShownLists(page));
        Assert.Contains("Turned off by Outdoor &amp; Co, not by you", page, StringComparison.Ordinal);
        await SaveAsync(link, Lists, ticked: Lists);
        Assert.Equal(["topic:outdoor/news", "topic:outdoor/tips"], (await ScopesAsync(gateway, reader)).Order(StringComparer.Ordinal));

        await SuppressAsync(gateway, reader, "tenant:outdoor", "unsubscribe");
        Assert.Contains("not on this page", await ShowAsync(link), StringComparison.Ordinal);
        await SaveAsync(link, Lists, ticked: Lists);
        Assert.Contains("tenant:outdoor", await ScopesAsync(gateway, reader));
    }

    [Fact]
    public async Task A_forged_expired_or_foreign_request_to_the_preferences_changes_nothing()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("target");
        var valid = fixture.Mint(reader, "outdoor", "deals");
        var form = Form(Lists, ticked: [], stopAll: true);

        var forged = valid[..^4] + (valid[^4..] == "AAAA" ? "BBBB" : "AAAA");
        using (var response = await PostAsync(new Uri(UrlOf(gateway, forged) + "/preferences"), form))
        {
            Assert.Contains("not valid", await UnsubscribeApiTests.PageAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        using (var response = await PostAsync(new Uri(UrlOf(gateway, fixture.Mint(reader, "outdoor", "deals", DateTimeOffset.UtcNow.AddDays(-61))) + "/preferences"), form))
        {
            Assert.Contains("expired", await UnsubscribeApiTests.PageAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }

        // Without the form's marker (a link scanner's empty POST), and from a link of mail for no tenant.
        using (var response = await PostAsync(new Uri(UrlOf(gateway, valid) + "/preferences"), []))
        {
            await UnsubscribeApiTests.PageAsync(response, HttpStatusCode.BadRequest);
        }

        using (var response = await PostAsync(new Uri(UrlOf(gateway, fixture.Mint(reader)) + "/preferences"), form))
        {
            await UnsubscribeApiTests.PageAsync(response, HttpStatusCode.BadRequest);
        }

        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(reader));
        Assert.Empty(await AuditTrail.ForAsync(gateway, reader));
    }

    [Fact]
    public async Task The_one_click_post_still_stops_only_the_list_of_the_message()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var reader = Mail.UniqueAddress("one-click");
        await DeliveredAsync(gateway, reader, "tips");
        var link = LinkOf(Assert.Single(fixture.Sink.Messages));

        using var oneClick = await PostAsync(link, new() { ["List-Unsubscribe"] = "One-Click" });

        await UnsubscribeApiTests.PageAsync(oneClick, HttpStatusCode.OK);
        Assert.Equal(["topic:outdoor/tips"], await ScopesAsync(gateway, reader));
        Assert.Equal(["deals", "news", "events"], TickedLists(await ShowAsync(link)));
        Assert.Equal("one-click", Assert.Single(await AuditTrail.ForAsync(gateway, reader)).GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_transactional_list_is_shown_as_always_sent_and_its_mail_passes_an_opt_out_of_the_whole_sender()
    {
        var gateway = await fixture.GatewayAsync(Backend);
        var customer = Mail.UniqueAddress("customer");
        var link = UrlOf(gateway, fixture.Mint(customer, "shop", "news"));
        await SaveAsync(link, ["news"], ticked: ["news"], stopAll: true);

        var page = await ShowAsync(link);

        Assert.Contains("<label for=\"topic-1\">Receipts</label><p id=\"topic-1-about\" class=\"about\">Always sent", page, StringComparison.Ordinal);
        Assert.Equal(["news"], ShownLists(page));
        Assert.Empty(await DeliveredAsync(gateway, customer, "news", tenant: "shop"));
        Assert.Equal([customer], await DeliveredAsync(gateway, customer, "receipts", tenant: "shop"));
    }

    private async Task<string> ShowAsync(Uri link)
    {
        using var response = await fixture.Client.GetAsync(link);
        return await UnsubscribeApiTests.PageAsync(response, HttpStatusCode.OK);
    }

    // What a browser sends for the form: its marker, the lists it showed, the boxes left ticked.
    private async Task<string> SaveAsync(Uri link, IEnumerable<string> shown, IEnumerable<string> ticked, bool stopAll = false)
    {
        using var response = await PostAsync(new Uri(link + "/preferences"), Form(shown, ticked, stopAll));
        return await UnsubscribeApiTests.PageAsync(response, HttpStatusCode.OK);
    }

    private static List<KeyValuePair<string, string>> Form(IEnumerable<string> shown, IEnumerable<string> ticked, bool stopAll = false) =>
    [
        new("form", "preferences"),
        .. shown.Select(list => new KeyValuePair<string, string>("shown", list)),
        .. ticked.Select(list => new KeyValuePair<string, string>("topic", list)),
        .. stopAll ? [new KeyValuePair<string, string>("all", "stop")] : Array.Empty<KeyValuePair<string, string>>(),
    ];

    private async Task<HttpResponseMessage> PostAsync(Uri url, IEnumerable<KeyValuePair<string, string>> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        return await fixture.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(Uri url, Dictionary<string, string> form) => PostAsync(url, form.AsEnumerable());

    private static List<string> TickedLists(string page) =>
        TickedBox().Matches(page).Select(match => match.Groups[1].Value).ToList();

    private static List<string> ShownLists(string page) =>
        ShownField().Matches(page).Select(match => match.Groups[1].Value).ToList();

    [GeneratedRegex("name=\"topic\" value=\"([^\"]+)\" checked")]
    private static partial Regex TickedBox();

    [GeneratedRegex("name=\"shown\" value=\"([^\"]+)\"")]
    private static partial Regex ShownField();

    // As the sender's system sends: its tenant and list named, the class left to the gateway.
    private async Task<List<string>> DeliveredAsync(GatewayInstance gateway, string recipient, string list, string tenant = "outdoor")
    {
        fixture.Sink.Messages.Clear();
        var message = Mail.Create("news@sender.test", [recipient]);
        message.Headers.Add("X-Suppression-Tenant", tenant);
        message.Headers.Add("X-Suppression-Topic", list);
        await Mail.SendAsync(gateway.SmtpPort, message);
        return fixture.Sink.Messages.Select(copy => Assert.Single(copy.Recipients)).ToList();
    }

    private static Uri LinkOf(ReceivedMessage copy)
    {
        var header = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var start = header.IndexOf("<http", StringComparison.Ordinal);
        Assert.True(start >= 0, header);
        return new Uri(header[(start + 1)..header.IndexOf('>', start)]);
    }

    private static Uri UrlOf(GatewayInstance gateway, string token) => new($"http://127.0.0.1:{gateway.HttpPort}/u/{token}");

    private static async Task SuppressAsync(GatewayInstance gateway, string address, string scope, string reason)
    {
        using var response = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope, reason });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

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
