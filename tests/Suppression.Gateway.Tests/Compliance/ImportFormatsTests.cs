using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Compliance;

/// <summary>
/// The files people actually have, uploaded to a running gateway: a plain list of addresses (with
/// the reason and evidence the uploader gives) and a marketing platform's export (with its own
/// reasons and times), each importing its good rows and naming its bad lines.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class ImportFormatsTests(ComplianceFixture fixture) : IClassFixture<ComplianceFixture>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_headerless_address_list_needs_evidence_for_manual_and_then_imports_with_it_on_record(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var first = Mail.UniqueAddress("listed");
        var second = Mail.UniqueAddress("listed");
        var file = $"\uFEFF{first}\r\nnot-an-address\r\n\"{second}\"\r\n";

        using var refused = await PostAsync(gateway.Http, "/api/v1/suppressions/import", file);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("?evidence=", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.GetAsync($"/api/v1/suppressions/{Uri.EscapeDataString(first)}")).StatusCode);

        using var accepted = await PostAsync(gateway.Http, "/api/v1/suppressions/import?scope=tenant:acme&evidence=" + Uri.EscapeDataString("DPO ticket 812: list from the old CRM"), file);
        var summary = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(("address-list", 3L, 2L, 1L), (summary.GetProperty("format").GetString(), summary.GetProperty("rows").GetInt64(), summary.GetProperty("imported").GetInt64(), summary.GetProperty("rejected").GetInt64()));
        Assert.Equal(2L, Assert.Single(summary.GetProperty("errors").EnumerateArray()).GetProperty("line").GetInt64());

        var entry = Assert.Single((await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/v1/suppressions/{Uri.EscapeDataString(second)}")).GetProperty("entries").EnumerateArray());
        Assert.Equal(("tenant:acme", "manual", "import"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        using var compliance = ComplianceFixture.ComplianceClient(gateway);
        var batch = Assert.Single((await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/audit?address={Uri.EscapeDataString(first)}")).GetProperty("records").EnumerateArray());
        Assert.Equal(("imported", "DPO ticket 812: list from the old CRM"), (batch.GetProperty("type").GetString(), batch.GetProperty("evidence").GetString()));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_list_with_a_given_reason_needs_no_evidence_and_bad_reasons_are_refused(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("optout");
        var file = "email\n" + address + "\n";

        using var erasure = await PostAsync(gateway.Http, "/api/v1/suppressions/import?reason=erasure&evidence=x", file);
        using var unknown = await PostAsync(gateway.Http, "/api/v1/suppressions/import?reason=bounced", file);
        using var unsubscribes = await PostAsync(gateway.Http, "/api/v1/suppressions/import?reason=unsubscribe", file);

        Assert.Equal(HttpStatusCode.BadRequest, erasure.StatusCode);
        Assert.Contains("/api/v1/erasures", await erasure.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("hard-bounce", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unsubscribes.StatusCode);
        var entry = Assert.Single((await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/v1/suppressions/{Uri.EscapeDataString(address)}")).GetProperty("entries").EnumerateArray());
        Assert.Equal(("global", "unsubscribe"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_mailchimp_unsubscribed_export_imports_unsubscribes_at_their_time_and_refuses_a_reason_of_ours(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var file = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "corpus", "import-samples", "mailchimp-unsubscribed.csv"));

        using var withReason = await PostAsync(gateway.Http, "/api/v1/suppressions/import?reason=complaint", file);
        Assert.Equal(HttpStatusCode.BadRequest, withReason.StatusCode);
        Assert.Contains("mailchimp-unsubscribed", await withReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.GetAsync("/api/v1/suppressions/ana.lima@example.com")).StatusCode);

        using var imported = await PostAsync(gateway.Http, "/api/v1/suppressions/import?scope=tenant:shop", file);
        var summary = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(("mailchimp-unsubscribed", 5L, 3L, 2L), (summary.GetProperty("format").GetString(), summary.GetProperty("rows").GetInt64(), summary.GetProperty("imported").GetInt64(), summary.GetProperty("rejected").GetInt64()));
        Assert.Equal([4L, 5L], summary.GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("line").GetInt64()));

        var entry = Assert.Single((await gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/suppressions/ana.lima@example.com")).GetProperty("entries").EnumerateArray());
        Assert.Equal(("tenant:shop", "unsubscribe", "import"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        Assert.Equal(new DateTimeOffset(2024, 2, 3, 10, 0, 0, TimeSpan.Zero), entry.GetProperty("createdAt").GetDateTimeOffset());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string csv) =>
        http.PostAsync(path, new StringContent(csv, Encoding.UTF8, "text/csv"));
}
