using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.BatchCheck;

/// <summary>POST /api/v1/suppressions/check as a list-cleaning client sees it, in each of its three forms.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class BatchCheckTests(BatchCheckFixture fixture) : IClassFixture<BatchCheckFixture>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Json_batch_is_answered_in_input_order_with_the_deciding_entry_and_invalid_addresses_named(string backend)
    {
        var bounced = Mail.UniqueAddress("bounced");
        var unsubscribed = Mail.UniqueAddress("unsubscribed");
        var clean = Mail.UniqueAddress("clean");
        await fixture.SuppressAsync(backend, bounced, "global", "hard-bounce");
        await fixture.SuppressAsync(backend, unsubscribed, "tenant:acme", "unsubscribe");

        using var response = await fixture.CheckAsync(backend, JsonContent.Create(new
        {
            tenant = "acme",
            topic = "news",
            @class = "marketing",
            addresses = new[] { clean, bounced, "not an address", unsubscribed, bounced.ToUpperInvariant() },
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([clean, bounced, "not an address", unsubscribed, bounced.ToUpperInvariant()], results.Select(r => r.GetProperty("address").GetString()));
        Assert.Equal(["deliver", "suppressed", "invalid", "suppressed", "suppressed"], results.Select(r => r.GetProperty("verdict").GetString()));
        Assert.Equal("global", results[1].GetProperty("scope").GetString());
        Assert.Equal("hard-bounce", results[1].GetProperty("reason").GetString());
        Assert.Equal("api", results[1].GetProperty("source").GetString());
        Assert.InRange(results[1].GetProperty("createdAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("tenant:acme", results[3].GetProperty("scope").GetString());
        Assert.Contains("'@'", results[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(results[0].TryGetProperty("reason", out _), "a deliverable address has no deciding entry");
        Assert.Equal("acme", body.GetProperty("context").GetProperty("tenant").GetString());
        Assert.Equal(3, body.GetProperty("counts").GetProperty("suppressed").GetInt32());
        Assert.True(body.GetProperty("complete").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ndjson_stream_is_answered_line_for_line_in_order_and_unreadable_lines_do_not_stop_it(string backend)
    {
        var suppressed = Mail.UniqueAddress("ndjson-suppressed");
        await fixture.SuppressAsync(backend, suppressed, "topic:acme/offers", "complaint");
        var run = Guid.NewGuid().ToString("N")[..8];

        // More than two chunks, so answers cross chunk boundaries while lookups are in flight.
        var lines = new List<string>();
        for (var i = 0; i < 5000; i++)
        {
            lines.Add(JsonSerializer.Serialize(new { address = $"reader{i}-{run}@example.com", id = i }));
        }

        lines[10] = "this is not json";
        lines[2500] = "{\"email\": \"wrong-member@example.com\"}";
        lines[2501] = "{\"address\": 42}";
        lines[4999] = JsonSerializer.Serialize(new { address = suppressed });
        var text = string.Join("\n", lines.Take(3000)) + "\n\n" + string.Join("\r\n", lines.Skip(3000));

        using var response = await fixture.CheckAsync(backend, new StringContent(text, Encoding.UTF8, "application/x-ndjson"), "?tenant=acme&topic=offers&class=marketing");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var answers = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(5001, answers.Count);
        for (var i = 0; i < 5000; i++)
        {
            var expected = i switch
            {
                10 or 2500 or 2501 => "invalid",
                4999 => "suppressed",
                _ => "deliver",
            };
            Assert.Equal(expected, answers[i].GetProperty("verdict").GetString());
            if (expected == "deliver")
            {
                Assert.Equal($"reader{i}-{run}@example.com", answers[i].GetProperty("address").GetString());
            }
        }

        Assert.Contains("line 11:", answers[10].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("topic:acme/offers", answers[4999].GetProperty("scope").GetString());
        Assert.Equal("complaint", answers[4999].GetProperty("reason").GetString());
        var end = answers[^1];
        Assert.True(end.GetProperty("complete").GetBoolean());
        Assert.Equal(5000, end.GetProperty("counts").GetProperty("addresses").GetInt32());
        Assert.Equal(3, end.GetProperty("counts").GetProperty("invalid").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Csv_with_an_email_column_is_answered_as_csv_with_a_header_and_an_end_row(string backend)
    {
        var suppressed = Mail.UniqueAddress("csv-suppressed");
        await fixture.SuppressAsync(backend, suppressed, "tenant:beta", "manual");
        var clean = Mail.UniqueAddress("+csv-clean");
        var csv = $"\uFEFFName,EMAIL,Plan\r\n\"Doe, Jane\",{suppressed},gold\r\nBob,{clean},\r\nNobody,,silver\r\nShort\r\n";

        using var response = await fixture.CheckAsync(backend, new StringContent(csv, Encoding.UTF8, "text/csv"), "?tenant=beta");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("address,verdict,scope,reason,source,created_at,error", rows[0]);
        Assert.StartsWith($"{suppressed},suppressed,tenant:beta,manual,api,", rows[1], StringComparison.Ordinal);

        // The address comes back as given, guarded against spreadsheet formulas as in exports.
        Assert.Equal($"'{clean},deliver,,,,,", rows[2]);
        Assert.StartsWith(",invalid,,,,,", rows[3], StringComparison.Ordinal);
        Assert.StartsWith(",invalid,,,,,line 5:", rows[4], StringComparison.Ordinal);
        Assert.Equal(",complete,,,,,\"4 addresses: 1 deliver, 1 suppressed, 2 invalid\"", rows[5]);
        Assert.Equal(6, rows.Length);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Csv_without_an_email_or_address_column_is_400_naming_the_columns(string backend)
    {
        using var response = await fixture.CheckAsync(backend, new StringContent("name,mail\r\nJane,jane@example.com\r\n", Encoding.UTF8, "text/csv"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'email' or 'address'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Json_batch_of_more_than_10000_addresses_is_refused_with_a_pointer_to_the_streamed_forms(string backend)
    {
        var addresses = Enumerable.Range(0, 10_001).Select(i => $"many{i}@example.com").ToArray();

        using var response = await fixture.CheckAsync(backend, JsonContent.Create(new { addresses }));

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("10,000", problem, StringComparison.Ordinal);
        Assert.Contains("application/x-ndjson", problem, StringComparison.Ordinal);
        Assert.Contains("text/csv", problem, StringComparison.Ordinal);

        using var allowed = await fixture.CheckAsync(backend, JsonContent.Create(new { addresses = addresses[..10_000] }));
        Assert.Equal(10_000, (await allowed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("?tenant=nope", "no tenant 'nope' is configured")]
    [InlineData("?tenant=acme&topic=sports", "has not declared the topic 'sports'")]
    [InlineData("?tenant=acme", "has declared its topics")]
    [InlineData("?tenant=beta&class=transactional", "not allowed to send transactional mail")]
    [InlineData("?class=transactional", "needs a tenant allowed to send it")]
    [InlineData("?topic=news", "needs a tenant")]
    [InlineData("?tenant=beta&class=bulk", "must be marketing or transactional")]
    public async Task Context_smtp_would_refuse_is_400_with_smtps_reason(string query, string reason)
    {
        using var response = await fixture.CheckAsync(Backends.Embedded, new StringContent("{\"address\": \"someone@example.com\"}\n", Encoding.UTF8, "application/x-ndjson"), query);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Contains("SMTP would refuse", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compliance_key_may_check_and_a_missing_key_may_not()
    {
        var body = new { tenant = "beta", addresses = new[] { "someone@example.com" } };

        using var compliance = await fixture.CheckAsync(Backends.Embedded, JsonContent.Create(body), key: BatchCheckFixture.ComplianceKey);
        using var stranger = await fixture.CheckAsync(Backends.Embedded, JsonContent.Create(body), key: "not-a-key-0123456789");

        Assert.Equal(HttpStatusCode.OK, compliance.StatusCode);
        Assert.Equal("deliver", (await compliance.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0].GetProperty("verdict").GetString());
        await ProblemAsync(stranger, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Other_media_types_are_415_and_unreadable_json_is_400()
    {
        using var xml = await fixture.CheckAsync(Backends.Embedded, new StringContent("<addresses/>", Encoding.UTF8, "application/xml"));
        using var broken = await fixture.CheckAsync(Backends.Embedded, new StringContent("{\"addresses\": [", Encoding.UTF8, "application/json"));

        Assert.Contains("application/x-ndjson", await ProblemAsync(xml, HttpStatusCode.UnsupportedMediaType), StringComparison.Ordinal);
        Assert.Contains("not the JSON this endpoint expects", await ProblemAsync(broken, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
    }
}
