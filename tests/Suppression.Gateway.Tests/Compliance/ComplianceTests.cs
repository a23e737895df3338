using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Layout;

namespace Suppression.Gateway.Tests.Compliance;

/// <summary>
/// The compliance officer's questions, asked of a running gateway: when and how did this person opt
/// out, was anything delivered after, can the record be trusted, and what is left after erasure.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class ComplianceTests(ComplianceFixture fixture) : IClassFixture<ComplianceFixture>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task After_an_unsubscribe_and_a_blocked_delivery_the_csv_history_shows_both_in_order_with_source_and_message_id(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var reader = Mail.UniqueAddress("reader");
        using (var click = await gateway.Http.PostAsync($"/u/{fixture.Mint(reader)}", new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        }

        var offer = Mail.Create("news@sender.test", [reader]);
        await Mail.SendAsync(gateway.SmtpPort, offer);

        using var compliance = ComplianceFixture.ComplianceClient(gateway);
        var csv = await compliance.GetStringAsync($"/api/v1/audit?address={Uri.EscapeDataString(reader)}&format=csv");

        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("time,type,address,", rows[0], StringComparison.Ordinal);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("suppressed," + reader + ",", Columns(rows[1]), StringComparison.Ordinal);
        Assert.Contains(",one-click,", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("blocked," + reader + ",", Columns(rows[2]), StringComparison.Ordinal);
        Assert.Contains("," + offer.MessageId + ",", rows[2], StringComparison.Ordinal);
        Assert.Contains(",global,unsubscribe,one-click,", rows[2], StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Sink.Messages, message => message.Recipients.Contains(reader));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Editing_one_stored_record_by_hand_makes_verify_report_the_first_bad_sequence(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("tampered");
        foreach (var scope in new[] { "global", "tenant:acme" })
        {
            using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope, reason = "complaint" });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using var compliance = ComplianceFixture.ComplianceClient(gateway);
        Assert.True((await compliance.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify")).GetProperty("ok").GetBoolean());

        var database = ((IConnectionMultiplexer)gateway.Services.GetService(typeof(IConnectionMultiplexer))!).GetDatabase();
        var layout = new RedisKeyLayout(fixture.Prefix);
        var bucket = layout.Locate(AddressNormalizer.Normalize(address)).Bucket;
        var chain = layout.ChainKeys(bucket).Changes;
        var elements = await database.ListRangeAsync(chain);
        var index = Array.FindIndex(elements, element => element.ToString().Contains("tenant:acme", StringComparison.Ordinal) && element.ToString().Contains(address, StringComparison.Ordinal));
        var original = elements[index].ToString();
        await database.ListSetByIndexAsync(chain, index, original.Replace("\"reason\":\"complaint\"", "\"reason\":\"manual\"", StringComparison.Ordinal));
        try
        {
            var verification = await compliance.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");

            Assert.False(verification.GetProperty("ok").GetBoolean());
            Assert.Equal("c-" + bucket, verification.GetProperty("firstBadChain").GetString());
            Assert.Equal(long.Parse(original.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture), verification.GetProperty("firstBadSequence").GetInt64());
        }
        finally
        {
            await database.ListSetByIndexAsync(chain, index, original);
        }

        Assert.True((await compliance.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify")).GetProperty("ok").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_import_takes_the_good_rows_names_the_bad_lines_and_a_second_import_adds_nothing(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var bounced = Mail.UniqueAddress("bounced");
        var complained = Mail.UniqueAddress("complained");
        var file = $"""
            email,created,status,reason
            {bounced},1700000000,5.1.1,"550 5.1.1 no such user, sorry"
            not-an-address,1700000000,5.1.1,bounced
            {complained.ToUpperInvariant()},1700000001,4.2.2,mailbox full
            {complained},1700000002,5.7.1,"blocked
            by policy"
            someone@example.com,yesterday,5.1.1,x

            """.ReplaceLineEndings("\n");

        var first = await ImportAsync(gateway.Http, file);
        var second = await ImportAsync(gateway.Http, file);

        Assert.Equal(("sendgrid-bounces", 5L, 2L, 0L, 3L), Summary(first));
        var errors = first.GetProperty("errors").EnumerateArray().Select(error => (Line: error.GetProperty("line").GetInt64(), Reason: error.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([3L, 4L, 7L], errors.Select(error => error.Line));
        Assert.Contains("'@'", errors[0].Reason, StringComparison.Ordinal);
        Assert.Equal("temporary failure, not a suppression", errors[1].Reason);
        Assert.StartsWith("unreadable time", errors[2].Reason, StringComparison.Ordinal);
        Assert.Equal(("sendgrid-bounces", 5L, 0L, 2L, 3L), Summary(second));
        Assert.Equal(first.GetProperty("fileSha256").GetString(), second.GetProperty("fileSha256").GetString());

        var entry = (await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/v1/suppressions/{Uri.EscapeDataString(bounced)}")).GetProperty("entries")[0];
        Assert.Equal(("hard-bounce", "import", "2023-11-14T22:13:20+00:00"), (entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString(), entry.GetProperty("createdAt").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));

        using var compliance = ComplianceFixture.ComplianceClient(gateway);
        var history = (await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/audit?address={Uri.EscapeDataString(bounced)}")).GetProperty("records");
        var batch = Assert.Single(history.EnumerateArray());
        Assert.Equal(("imported", first.GetProperty("batch").GetString()), (batch.GetProperty("type").GetString(), batch.GetProperty("batch").GetString()));
        Assert.Equal(first.GetProperty("fileSha256").GetString(), batch.GetProperty("import").GetProperty("fileSha256").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Imports_refuse_what_they_cannot_read_and_compliance_keys_may_not_write(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        using var compliance = ComplianceFixture.ComplianceClient(gateway);

        using var unknown = await gateway.Http.PostAsync("/api/v1/suppressions/import", new StringContent("mail,when\na@example.com,now\n", Encoding.UTF8, "text/csv"));
        using var json = await gateway.Http.PostAsync("/api/v1/suppressions/import", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var badScope = await gateway.Http.PostAsync("/api/v1/suppressions/import?scope=everyone", new StringContent("email,created\n", Encoding.UTF8, "text/csv"));
        using var byCompliance = await compliance.PostAsync("/api/v1/suppressions/import", new StringContent("email,created\nx@example.com,1\n", Encoding.UTF8, "text/csv"));
        using var erasureByCompliance = await compliance.PostAsJsonAsync("/api/v1/erasures", new { address = "x@example.com" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("sendgrid", await unknown.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byCompliance.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, erasureByCompliance.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.GetAsync("/api/v1/suppressions/x@example.com")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task After_erasure_no_export_history_or_key_shows_the_address_and_mail_to_it_is_still_blocked(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var leaving = Mail.UniqueAddress("forget-me");
        var staying = Mail.UniqueAddress("staying");
        foreach (var address in new[] { leaving, staying })
        {
            using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, reason = "unsubscribe" });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [leaving]));

        using var erased = await gateway.Http.PostAsJsonAsync("/api/v1/erasures", new { address = leaving, evidence = "GDPR request #42" });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var result = await erased.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("records").GetInt64());

        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [leaving]));
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("receipts@sender.test", [leaving], "Your receipt"));

        using var compliance = ComplianceFixture.ComplianceClient(gateway);
        var everything = string.Join(
            "\n",
            await compliance.GetStringAsync("/api/v1/suppressions/export?format=csv"),
            await compliance.GetStringAsync("/api/v1/suppressions/export?format=ndjson"),
            await compliance.GetStringAsync("/api/v1/audit?format=csv"),
            await compliance.GetStringAsync("/api/v1/audit?format=ndjson"),
            await compliance.GetStringAsync($"/api/v1/audit?address={Uri.EscapeDataString(leaving)}"),
            await fixture.DumpAsync(gateway));
        var localPart = leaving.Split('@')[0];
        Assert.DoesNotContain(localPart, everything, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(staying, everything, StringComparison.Ordinal);
        Assert.Contains(result.GetProperty("addressHash").GetString()!, everything, StringComparison.Ordinal);

        Assert.DoesNotContain(fixture.Sink.Messages, message => message.Recipients.Contains(leaving));
        var history = (await compliance.GetFromJsonAsync<JsonElement>($"/api/v1/audit?address={Uri.EscapeDataString(leaving)}")).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["suppressed", "blocked", "erased", "blocked", "blocked"], history.Select(record => record.GetProperty("type").GetString()));
        var entry = Assert.Single((await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/v1/suppressions/{Uri.EscapeDataString(leaving)}")).GetProperty("entries").EnumerateArray());
        Assert.Equal(("global", "erasure"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
        Assert.True((await compliance.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify")).GetProperty("ok").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Json_pages_follow_the_cursor_and_bad_filters_get_400(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("paged");
        foreach (var scope in new[] { "global", "tenant:a", "tenant:b" })
        {
            using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope });
        }

        using var compliance = ComplianceFixture.ComplianceClient(gateway);
        var query = $"/api/v1/audit?address={Uri.EscapeDataString(address)}&type=suppressed&limit=2";
        var first = await compliance.GetFromJsonAsync<JsonElement>(query);
        var second = await compliance.GetFromJsonAsync<JsonElement>(query + "&after=" + Uri.EscapeDataString(first.GetProperty("next").GetString()!));

        Assert.Equal(2, first.GetProperty("records").GetArrayLength());
        Assert.Equal("tenant:b", Assert.Single(second.GetProperty("records").EnumerateArray()).GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        foreach (var bad in new[] { "type=deleted", "from=yesterday", "limit=0", "format=xml", "address=not-an-address" })
        {
            using var response = await compliance.GetAsync("/api/v1/audit?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("\"detail\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A limit too large for a number is about the limit, not about a body the request never needed.
        foreach (var limit in new[] { "999999999999", "-5", "ten", "1001" })
        {
            using var response = await compliance.GetAsync("/api/v1/audit?limit=" + limit);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Invalid limit", problem.GetProperty("title").GetString());
            Assert.Equal("Use 1 to 1000.", problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Formula_leading_addresses_are_defused_in_exports_and_an_import_restores_them_exactly(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var domain = "@csv-" + Guid.NewGuid().ToString("N") + ".example.com";
        string[] addresses = ["=1+2" + domain, "'quote" + domain, "-x" + domain, "plain" + domain];
        foreach (var address in addresses)
        {
            using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, reason = "unsubscribe" });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using var compliance = ComplianceFixture.ComplianceClient(gateway);
        var export = (await compliance.GetStringAsync("/api/v1/suppressions/export?format=csv")).Split("\r\n");
        var ours = export.Where(row => row.Contains(domain, StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["''quote" + domain, "'-x" + domain, "'=1+2" + domain, "plain" + domain],
            ours.Select(row => row.Split(',')[0]).Order(StringComparer.Ordinal));

        // The audit CSV defuses the address column the same way.
        var audit = await compliance.GetStringAsync("/api/v1/audit?format=csv&address=" + Uri.EscapeDataString(addresses[0]));
        Assert.Contains(",suppressed,'=1+2" + domain + ",", audit, StringComparison.Ordinal);

        foreach (var address in addresses)
        {
            using var removal = await gateway.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/suppressions?address=" + Uri.EscapeDataString(address))
            {
                Content = JsonContent.Create(new { evidence = "export and import round trip" }),
            });
            Assert.Equal(HttpStatusCode.OK, removal.StatusCode);
        }

        var summary = await ImportAsync(gateway.Http, string.Join("\r\n", [export[0], .. ours]) + "\r\n");
        Assert.Equal(4, summary.GetProperty("imported").GetInt64());
        foreach (var address in addresses)
        {
            var found = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/suppressions?address=" + Uri.EscapeDataString(address));
            Assert.Equal(address, found.GetProperty("address").GetString());
        }
    }

    private static async Task<JsonElement> ImportAsync(HttpClient http, string csv)
    {
        using var response = await http.PostAsync("/api/v1/suppressions/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static (string?, long, long, long, long) Summary(JsonElement import) => (
        import.GetProperty("format").GetString(),
        import.GetProperty("rows").GetInt64(),
        import.GetProperty("imported").GetInt64(),
        import.GetProperty("unchanged").GetInt64(),
        import.GetProperty("rejected").GetInt64());

    // The row from its second column (type) on: the first is the time.
    private static string Columns(string row) => row[(row.IndexOf(',', StringComparison.Ordinal) + 1)..];
}
