using System.Net;
using System.Text.Json;
using Suppression.Gateway.Access;
using Suppression.Gateway.Tests.Feedback;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// Issue 17 item 2: /console/review lists the reports held for review and shows each; an admin
/// applies or dismisses one there, and the audit names the console session's actor as it names an
/// API key's. A compliance session may look but not decide, and no decision is taken without the
/// form's antiforgery token.
/// </summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleReviewTests(ConsoleFixture fixture)
{
    private static readonly string AdminActor = ApiKeys.Actor(ApiKeys.AdminRole, GatewayInstance.AdminKey);

    [Fact]
    public async Task The_queue_lists_a_held_report_and_its_page_shows_what_it_says_of_each_recipient()
    {
        var (gateway, victim, id) = await HoldAsync("queued");
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var list = await client.GetAsync("/console/review");
        var item = await client.GetAsync($"/console/review/{id}");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        var row = Assert.Single(RecordRows.In(list.Body, "reports"), row => row["Report"] == "View report " + id);
        Assert.Equal(("dsn", "127.0.0.1"), (row["Kind"], row["Client IP"]));
        Assert.True(row["Recipients"].Contains($"{victim}: hard-bounce (global), status 5.1.1", StringComparison.Ordinal), row["Recipients"]);
        Assert.Contains("User unknown", row["Recipients"], StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/review/{id}\"", list.Body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/console/review\" aria-current=\"page\">Review queue</a>", list.Body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, item.Status);
        var recipient = Assert.Single(RecordRows.In(item.Body, "recipients"));
        Assert.Equal((victim, "hard-bounce", "global", "hard-bounce", "5.1.1"),
            (recipient["Address"], recipient["Verdict"], recipient["Scope"], recipient["Reason"], recipient["Status"]));
        Assert.Contains("Recipient address rejected: User unknown", recipient["Diagnostic"], StringComparison.Ordinal);
        Assert.Contains("<dd>127.0.0.1</dd>", item.Body, StringComparison.Ordinal);

        // A compliance session reads; the decisions are an admin's.
        Assert.DoesNotContain("/apply\"", item.Body, StringComparison.Ordinal);
        Assert.Contains("needs an admin key", item.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_applies_a_report_and_the_suppression_is_audited_with_the_console_actor()
    {
        var (gateway, victim, id) = await HoldAsync("applied");
        using var client = fixture.Client(gateway);
        await client.SignInAsync(GatewayInstance.AdminKey);

        var applied = await client.SubmitAsync($"/console/review/{id}", $"/console/review/{id}/apply");

        Assert.True(applied.Status == HttpStatusCode.SeeOther, applied.ToString());
        Assert.Equal($"/console/review?applied={id}&suppressed=1", applied.Location);
        var entry = Assert.Single(await gateway.EntriesAsync(victim));
        Assert.Equal(("global", "hard-bounce", "dsn"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, victim));
        Assert.Equal(("suppressed", AdminActor, "127.0.0.1"),
            (record.GetProperty("type").GetString(), record.GetProperty("actor").GetString(), record.GetProperty("clientIp").GetString()));
        Assert.Contains($"unauthenticated report from 127.0.0.1 applied from review item {id}", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);

        var queue = await client.GetAsync(applied.Location!);
        Assert.Contains($"Report {id} applied: 1 suppression written.", queue.Body, StringComparison.Ordinal);
        Assert.DoesNotContain($"/console/review/{id}\"", queue.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/console/review/{id}")).Status);
    }

    [Fact]
    public async Task An_admin_dismisses_a_report_nobody_is_suppressed_and_the_dismissal_is_audited_with_the_console_actor()
    {
        var (gateway, victim, id) = await HoldAsync("dismissed");
        using var client = fixture.Client(gateway);
        await client.SignInAsync(GatewayInstance.AdminKey);

        var dismissed = await client.SubmitAsync($"/console/review/{id}", $"/console/review/{id}/dismiss");

        Assert.True(dismissed.Status == HttpStatusCode.SeeOther, dismissed.ToString());
        Assert.Equal($"/console/review?dismissed={id}", dismissed.Location);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(victim));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, victim));
        Assert.Equal(("dismissed", victim, AdminActor, false),
            (record.GetProperty("type").GetString(), record.GetProperty("address").GetString(), record.GetProperty("actor").GetString(), record.GetProperty("changed").GetBoolean()));
        Assert.Contains($"unauthenticated dsn report from 127.0.0.1 dismissed from review item {id}", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Contains("hard-bounce in scope global, status 5.1.1 not applied", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);

        var queue = await client.GetAsync(dismissed.Location!);
        Assert.Contains($"Report {id} dismissed: nobody was suppressed.", queue.Body, StringComparison.Ordinal);
        Assert.DoesNotContain($"/console/review/{id}\"", queue.Body, StringComparison.Ordinal);

        // The new record type is one the audit log filters by, and the chains still verify with it.
        var audit = await client.GetAsync("/console/audit?type=dismissed");
        Assert.Contains(RecordRows.In(audit.Body, "records"), row => row["Type"] == "dismissed" && row["Address"] == victim && row["Actor"] == AdminActor);
        using var verified = await gateway.Http.GetAsync("/api/v1/audit/verify");
        var verification = await verified.Content.ReadAsStringAsync();
        Assert.True(verified.StatusCode == HttpStatusCode.OK && verification.Contains("\"ok\":true", StringComparison.Ordinal), verification);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("dismiss")]
    public async Task A_compliance_session_cannot_apply_or_dismiss(string decision)
    {
        var (gateway, victim, id) = await HoldAsync("compliance");
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var refused = await client.SubmitAsync($"/console/review/{id}", $"/console/review/{id}/{decision}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("Only an admin can decide", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/console/review/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(victim));
        Assert.Empty(await AuditTrail.ForAsync(gateway, victim));
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("dismiss")]
    public async Task A_forged_decision_without_the_forms_token_is_refused_and_changes_nothing(string decision)
    {
        var (gateway, victim, id) = await HoldAsync("forged");
        using var client = fixture.Client(gateway);
        await client.SignInAsync(GatewayInstance.AdminKey);

        var forged = await client.PostAsync($"/console/review/{id}/{decision}");

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("This form cannot be accepted", forged.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/console/review/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(victim));
        Assert.Empty(await AuditTrail.ForAsync(gateway, victim));
    }

    // A stranger's bounce for a fresh address, held for review, and its id.
    private async Task<(GatewayInstance Gateway, string Victim, string Id)> HoldAsync(string name)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var victim = Mail.UniqueAddress(name);
        Assert.Equal("250 2.0.0 Report received; held for review", await FeedbackReports.MailAsync(gateway, ConsoleFixture.FeedbackAddress, FeedbackReports.Dsn(victim)));
        using var queue = JsonDocument.Parse(await gateway.Http.GetStringAsync("/api/v1/feedback/review"));
        var id = queue.RootElement.GetProperty("items").EnumerateArray()
            .Single(item => item.GetProperty("recipients").EnumerateArray().Any(recipient => recipient.GetProperty("address").GetString() == victim))
            .GetProperty("id").GetString()!;
        return (gateway, victim, id);
    }
}
