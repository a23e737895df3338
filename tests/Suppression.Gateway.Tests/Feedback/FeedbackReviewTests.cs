using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>
/// Issue 17 item 2: a bounce or complaint mailed to a feedback address by a stranger proves nothing,
/// so by default it suppresses nobody and waits in the review queue, where an admin applies or
/// dismisses it. <c>Act</c> keeps the old behaviour; a complaint returning our own token still acts.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class FeedbackReviewTests(FeedbackReviewFixture fixture) : IClassFixture<FeedbackReviewFixture>
{
    [Fact]
    public async Task A_forged_bounce_from_a_stranger_suppresses_nobody_and_waits_for_review()
    {
        var victim = Mail.UniqueAddress("victim");

        Assert.Equal("250 2.0.0 Report received; held for review", await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(victim)));

        Assert.Equal(HttpStatusCode.NotFound, await fixture.Review.LookupStatusAsync(victim));
        var item = await QueuedAsync(victim);
        Assert.Equal(("dsn", "127.0.0.1"), (item.GetProperty("kind").GetString(), item.GetProperty("clientIp").GetString()));
        Assert.StartsWith("dsn-", item.GetProperty("reportMessageId").GetString(), StringComparison.Ordinal);
        Assert.Equal("original-1@sender.test", item.GetProperty("originalMessageId").GetString());
        var recipient = Assert.Single(item.GetProperty("recipients").EnumerateArray());
        Assert.Equal(("hard-bounce", "global", "5.1.1"),
            (recipient.GetProperty("verdict").GetString(), recipient.GetProperty("scope").GetString(), recipient.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_forged_complaint_from_a_stranger_suppresses_nobody_and_waits_for_review()
    {
        var victim = Mail.UniqueAddress("victim");

        Assert.Equal("250 2.0.0 Report received; held for review", await FeedbackReports.MailAsync(fixture.Review, "fbl@gateway.test", FeedbackReports.Arf("fbl@gateway.test", victim)));

        Assert.Equal(HttpStatusCode.NotFound, await fixture.Review.LookupStatusAsync(victim));
        var item = await QueuedAsync(victim);
        Assert.Equal("arf", item.GetProperty("kind").GetString());
        Assert.Equal("complaint", Assert.Single(item.GetProperty("recipients").EnumerateArray()).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_complaint_returning_the_gateways_token_for_the_complainant_acts_without_review()
    {
        var complainant = Mail.UniqueAddress("complainant");
        var token = fixture.Codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(complainant), "acme", null, DateTimeOffset.UtcNow));
        var returned = $"From: News <news@sender.test>\r\nTo: {complainant}\r\nSubject: Spring sale\r\nMessage-ID: <original-2@sender.test>\r\n"
            + $"List-Unsubscribe: <http://127.0.0.1/u/{token}>\r\n";

        Assert.Equal("250 2.0.0 Report received", await FeedbackReports.MailAsync(fixture.Review, "fbl@gateway.test", FeedbackReports.Arf("fbl@gateway.test", complainant, returned)));

        var entry = Assert.Single(await fixture.Review.EntriesAsync(complainant));
        Assert.Equal(("tenant:acme", "complaint"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task With_Act_a_strangers_bounce_and_complaint_suppress_as_before()
    {
        var bounced = Mail.UniqueAddress("bounced");
        var complainant = Mail.UniqueAddress("complainant");

        Assert.Equal("250 2.0.0 Report received", await FeedbackReports.MailAsync(fixture.Act, "bounces@gateway.test", FeedbackReports.Dsn(bounced)));
        Assert.Equal("250 2.0.0 Report received", await FeedbackReports.MailAsync(fixture.Act, "fbl@gateway.test", FeedbackReports.Arf("fbl@gateway.test", complainant)));

        Assert.Equal("hard-bounce", Assert.Single(await fixture.Act.EntriesAsync(bounced)).GetProperty("reason").GetString());
        Assert.Equal("complaint", Assert.Single(await fixture.Act.EntriesAsync(complainant)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Applying_a_queued_report_suppresses_and_audits_with_the_admins_actor()
    {
        var gone = Mail.UniqueAddress("gone");
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(gone));
        var id = (await QueuedAsync(gone)).GetProperty("id").GetString();

        using var applied = await fixture.Review.Http.PostAsync($"/api/v1/feedback/review/{id}/apply", content: null);

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var entry = Assert.Single(await fixture.Review.EntriesAsync(gone));
        Assert.Equal(("global", "hard-bounce", "dsn"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        var record = Assert.Single(await AuditTrail.ForAsync(fixture.Review, gone));
        Assert.StartsWith("api-key:admin:", record.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Contains($"applied from review item {id}", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await ListAsync(fixture.Review.Http), item => item.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Dismissing_a_queued_report_removes_it_suppresses_nobody_and_audits_with_the_admins_actor()
    {
        var victim = Mail.UniqueAddress("victim");
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(victim));
        var id = (await QueuedAsync(victim)).GetProperty("id").GetString();

        using var dismissed = await fixture.Review.Http.PostAsync($"/api/v1/feedback/review/{id}/dismiss", content: null);
        using var again = await fixture.Review.Http.PostAsync($"/api/v1/feedback/review/{id}/apply", content: null);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (dismissed.StatusCode, again.StatusCode));
        Assert.DoesNotContain(await ListAsync(fixture.Review.Http), item => item.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Review.LookupStatusAsync(victim));
        var record = Assert.Single(await AuditTrail.ForAsync(fixture.Review, victim));
        Assert.Equal(("dismissed", false), (record.GetProperty("type").GetString(), record.GetProperty("changed").GetBoolean()));
        Assert.StartsWith("api-key:admin:", record.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Contains($"unauthenticated dsn report from 127.0.0.1 dismissed from review item {id}", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasure_leaves_no_clear_address_in_a_dismissal_record()
    {
        var victim = Mail.UniqueAddress("erased");
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(victim));
        var id = (await QueuedAsync(victim)).GetProperty("id").GetString();
        using var dismissed = await fixture.Review.Http.PostAsync($"/api/v1/feedback/review/{id}/dismiss", content: null);
        Assert.Equal(HttpStatusCode.NoContent, dismissed.StatusCode);

        using var erased = await fixture.Review.Http.PostAsJsonAsync("/api/v1/erasures", new { address = victim, evidence = "GDPR request" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var records = await AuditTrail.ForAsync(fixture.Review, victim);
        var dismissal = Assert.Single(records, record => record.GetProperty("type").GetString() == "dismissed");
        Assert.False(dismissal.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String, dismissal.ToString());
        Assert.DoesNotContain(victim, dismissal.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task After_erasure_a_dsn_hard_bounce_record_holds_the_address_nowhere_and_keeps_status_and_words()
    {
        var bounced = Mail.UniqueAddress("erased-dsn");
        Assert.Equal("250 2.0.0 Report received", await FeedbackReports.MailAsync(fixture.Act, "bounces@gateway.test", FeedbackReports.Dsn(bounced)));

        using var erased = await fixture.Act.Http.PostAsJsonAsync("/api/v1/erasures", new { address = bounced, evidence = "GDPR request" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var record = Assert.Single(await AuditTrail.ForAsync(fixture.Act, bounced), record => record.GetProperty("type").GetString() == "suppressed");
        var evidence = record.GetProperty("evidence").GetString()!;
        Assert.Contains("Action failed, Status 5.1.1", evidence, StringComparison.Ordinal);
        Assert.Contains($"550 5.1.1 <{AddressRedaction.Placeholder}>: Recipient address rejected: User unknown", evidence, StringComparison.Ordinal);
        Assert.Contains("original Message-ID <original-1@sender.test>", evidence, StringComparison.Ordinal);
        AssertNowhere(bounced, await AuditTrail.ExportAsync(fixture.Act, bounced));
    }

    [Fact]
    public async Task After_erasure_an_applied_review_item_record_holds_the_address_nowhere_and_keeps_status_and_words()
    {
        var gone = Mail.UniqueAddress("erased-applied");
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(gone));
        var id = (await QueuedAsync(gone)).GetProperty("id").GetString();
        using var applied = await fixture.Review.Http.PostAsync($"/api/v1/feedback/review/{id}/apply", content: null);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);

        using var erased = await fixture.Review.Http.PostAsJsonAsync("/api/v1/erasures", new { address = gone, evidence = "GDPR request" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var record = Assert.Single(await AuditTrail.ForAsync(fixture.Review, gone), record => record.GetProperty("type").GetString() == "suppressed");
        var evidence = record.GetProperty("evidence").GetString()!;
        Assert.Contains("Status 5.1.1", evidence, StringComparison.Ordinal);
        Assert.Contains("User unknown", evidence, StringComparison.Ordinal);
        Assert.Contains($"applied from review item {id}", evidence, StringComparison.Ordinal);
        AssertNowhere(gone, await AuditTrail.ExportAsync(fixture.Review, gone));
    }

    [Fact]
    public async Task Erasure_takes_the_address_out_of_the_review_queue_and_leaves_other_recipients_waiting()
    {
        var (leaving, alone, staying) = (Mail.UniqueAddress("erased-held"), Mail.UniqueAddress("staying-alone"), Mail.UniqueAddress("staying-with"));
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(leaving));
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(alone));
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn([leaving.ToUpperInvariant(), staying]));
        var shared = (await QueuedAsync(staying)).GetProperty("id").GetString();

        using var erased = await fixture.Review.Http.PostAsJsonAsync("/api/v1/erasures", new { address = leaving, evidence = "GDPR request" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        using var listed = await fixture.Review.Http.GetAsync("/api/v1/feedback/review");
        Assert.DoesNotContain(leaving.Split('@')[0], await listed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var kept = await QueuedAsync(staying);
        Assert.Equal(shared, kept.GetProperty("id").GetString());
        Assert.Equal(staying, Assert.Single(kept.GetProperty("recipients").EnumerateArray()).GetProperty("address").GetString());
        await QueuedAsync(alone);

        using var applied = await fixture.Review.Http.PostAsync($"/api/v1/feedback/review/{shared}/apply", content: null);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal("hard-bounce", Assert.Single(await fixture.Review.EntriesAsync(staying)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_compliance_key_can_list_the_queue_but_not_apply()
    {
        var victim = Mail.UniqueAddress("victim");
        await FeedbackReports.MailAsync(fixture.Review, "bounces@gateway.test", FeedbackReports.Dsn(victim));
        using var compliance = new HttpClient { BaseAddress = fixture.Review.Http.BaseAddress };
        compliance.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FeedbackReviewFixture.ComplianceKey);
        var id = Assert.Single(await ListAsync(compliance), item => Names(item, victim)).GetProperty("id").GetString();

        using var apply = await compliance.PostAsync($"/api/v1/feedback/review/{id}/apply", content: null);
        using var dismiss = await compliance.PostAsync($"/api/v1/feedback/review/{id}/dismiss", content: null);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (apply.StatusCode, dismiss.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Review.LookupStatusAsync(victim));
        Assert.Single(await ListAsync(compliance), item => Names(item, victim));
    }

    // The whole address or its unique local part, in any case.
    private static void AssertNowhere(string address, string export)
    {
        Assert.DoesNotContain(address, export, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(address.Split('@')[0], export, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<JsonElement> QueuedAsync(string address) => Assert.Single(await ListAsync(fixture.Review.Http), item => Names(item, address));

    private static bool Names(JsonElement item, string address) =>
        item.GetProperty("recipients").EnumerateArray().Any(recipient => recipient.GetProperty("address").GetString() == address);

    private static async Task<List<JsonElement>> ListAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/api/v1/feedback/review");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"review list answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(item => item.Clone())];
    }
}
