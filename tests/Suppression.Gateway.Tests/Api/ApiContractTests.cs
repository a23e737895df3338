using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Testing.Contract;

namespace Suppression.Gateway.Tests.Api;

/// <summary>
/// The OpenAPI contract (/openapi/v1.json, committed as docs/openapi.json) against the gateway
/// itself: the served document is the committed one, every /api/v1 route is in it with an id, a
/// summary and who may call it, and real requests and answers of every operation validate against
/// it, problems included.
/// </summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private const string ComplianceKey = "contract-compliance-key-0123";

    private static readonly string CommittedPath = Path.Combine(AppContext.BaseDirectory, "docs", "openapi.json");

    private readonly TestSmtpSink _upstream = new();
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayInstance.StartAsync(redis: null, _upstream.Port, new Dictionary<string, string>
        {
            ["Suppression:Compliance:ApiKeys:0"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ComplianceKey))),
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task The_served_document_is_the_committed_copy_in_docs()
    {
        var served = await _gateway.Http.GetStringAsync(new Uri($"http://127.0.0.1:{_gateway.HttpPort}/openapi/v1.json"));

        if (served.ReplaceLineEndings("\n").TrimEnd() != (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n").TrimEnd())
        {
            var fresh = Path.Combine(Path.GetTempPath(), "openapi.v1.json");
            await File.WriteAllTextAsync(fresh, served);
            Assert.Fail($"docs/openapi.json is not what the gateway serves. If the API change is meant, commit the served copy: cp {fresh} docs/openapi.json");
        }
    }

    [Fact]
    public async Task Every_api_route_is_documented_with_an_id_a_summary_and_who_may_call_it()
    {
        var document = JsonNode.Parse(await _gateway.Http.GetStringAsync(new Uri($"http://127.0.0.1:{_gateway.HttpPort}/openapi/v1.json")))!;
        var contract = OpenApiContract.Load(CommittedPath);
        var routes = _gateway.Services.GetServices<EndpointDataSource>().SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => (Method: method, Path: endpoint.RoutePattern.RawText!)))
            .ToList();

        Assert.True(routes.Count >= 20, $"only {routes.Count} /api/v1 routes found");
        foreach (var (method, path) in routes)
        {
            var operation = document["paths"]?[path]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {path} is not in the document");
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["operationId"]), $"{method} {path}: no operationId");
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{method} {path}: no summary");
            var description = (string?)operation["description"] ?? "";
            Assert.True(description.Contains("keys", StringComparison.Ordinal) || description.Contains("No API key", StringComparison.Ordinal),
                $"{method} {path}: the description does not say who may call it");
            Assert.NotNull(contract.Find(method, path.Replace("{", "x", StringComparison.Ordinal).Replace("}", "x", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Requests_and_answers_of_every_operation_validate_against_the_document()
    {
        var contract = OpenApiContract.Load(CommittedPath);
        var problems = new List<string>();
        var address = Mail.UniqueAddress("contract");
        var slashed = $"a/b-{Guid.NewGuid():N}@example.com";
        var escaped = Uri.EscapeDataString(address);

        async Task Exchange(HttpMethod method, string target, HttpStatusCode expected, HttpContent? content = null, string? key = GatewayInstance.AdminKey, bool malformed = false)
        {
            using var request = new HttpRequestMessage(method, new Uri($"http://127.0.0.1:{_gateway.HttpPort}{target}")) { Content = content };
            request.Headers.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
            var sent = content is null ? [] : await content.ReadAsByteArrayAsync();
            if (!malformed)
            {
                problems.AddRange(contract.CheckRequest(method.Method, target, content?.Headers.ContentType?.ToString(), sent));
            }

            using var client = new HttpClient();
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != expected)
            {
                problems.Add($"{method} {target}: {(int)response.StatusCode}, expected {(int)expected}: {Encoding.UTF8.GetString(body)}");
                return;
            }

            problems.AddRange(contract.CheckResponse(method.Method, target, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body));
        }

        static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

        await Exchange(HttpMethod.Get, "/healthz", HttpStatusCode.OK, key: null);
        await Exchange(HttpMethod.Get, "/readyz", HttpStatusCode.OK, key: null);
        await Exchange(HttpMethod.Post, "/api/v1/suppressions", HttpStatusCode.Created, Json($$"""{"address":"{{address}}","scope":"tenant:acme","reason":"unsubscribe","note":"asked by phone"}"""));
        await Exchange(HttpMethod.Post, "/api/v1/suppressions", HttpStatusCode.OK, Json($$"""{"address":"{{address}}","scope":"tenant:acme","reason":"unsubscribe"}"""));
        await Exchange(HttpMethod.Post, "/api/v1/suppressions", HttpStatusCode.Created, Json($$"""{"address":"{{slashed}}"}"""));
        await Exchange(HttpMethod.Post, "/api/v1/suppressions", HttpStatusCode.BadRequest, Json("""{"address":"no-at-sign"}"""));
        await Exchange(HttpMethod.Post, "/api/v1/suppressions", HttpStatusCode.Unauthorized, Json($$"""{"address":"{{address}}"}"""), key: null);
        await Exchange(HttpMethod.Post, "/api/v1/suppressions", HttpStatusCode.Forbidden, Json($$"""{"address":"{{address}}"}"""), key: ComplianceKey);
        await Exchange(HttpMethod.Get, $"/api/v1/suppressions/{escaped}", HttpStatusCode.OK, key: ComplianceKey);
        await Exchange(HttpMethod.Get, "/api/v1/suppressions?address=" + Uri.EscapeDataString(slashed), HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/suppressions/nobody%40example.com", HttpStatusCode.NotFound);
        await Exchange(HttpMethod.Get, "/api/v1/suppressions/export?format=ndjson", HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/suppressions/export", HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/suppressions/export?format=xml", HttpStatusCode.BadRequest);
        await Exchange(HttpMethod.Post, "/api/v1/suppressions/import", HttpStatusCode.OK,
            new StringContent($"address,scope,reason\r\n{Mail.UniqueAddress("imported")},global,unsubscribe\r\nnot-an-address,global,unsubscribe\r\n", Encoding.UTF8, "text/csv"));
        await Exchange(HttpMethod.Post, "/api/v1/suppressions/import", HttpStatusCode.UnsupportedMediaType, Json("[]"), malformed: true);
        await Exchange(HttpMethod.Post, "/api/v1/suppressions/check", HttpStatusCode.OK,
            Json($$"""{"class":"marketing","addresses":["{{slashed}}","clean@example.com","not-an-address"]}"""), key: ComplianceKey);
        await Exchange(HttpMethod.Post, "/api/v1/suppressions/check?class=marketing", HttpStatusCode.OK,
            new StringContent($"{{\"address\":\"{slashed}\"}}\n{{\"address\":\"clean@example.com\"}}\n", Encoding.UTF8, "application/x-ndjson"));
        await Exchange(HttpMethod.Post, "/api/v1/suppressions/check", HttpStatusCode.OK,
            new StringContent($"email\r\n{slashed}\r\n", Encoding.UTF8, "text/csv"));
        await Exchange(HttpMethod.Post, "/api/v1/suppressions/check", HttpStatusCode.UnsupportedMediaType, new StringContent("x", Encoding.UTF8, "text/plain"), malformed: true);
        await Exchange(HttpMethod.Get, "/api/v1/audit?limit=5", HttpStatusCode.OK, key: ComplianceKey);
        await Exchange(HttpMethod.Get, "/api/v1/audit?address=" + escaped + "&format=ndjson", HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/audit?format=csv&type=suppressed,imported", HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/audit?limit=0", HttpStatusCode.BadRequest);
        await Exchange(HttpMethod.Get, "/api/v1/audit/verify", HttpStatusCode.OK);
        await Exchange(HttpMethod.Delete, $"/api/v1/suppressions/{escaped}?scope=tenant:acme", HttpStatusCode.OK, Json("""{"evidence":"opted in again on the phone"}"""));
        await Exchange(HttpMethod.Delete, $"/api/v1/suppressions/{escaped}", HttpStatusCode.NotFound, Json("""{"evidence":"again"}"""));
        await Exchange(HttpMethod.Delete, "/api/v1/suppressions", HttpStatusCode.OK, Json($$"""{"address":"{{slashed}}","evidence":"signed form"}"""));
        await Exchange(HttpMethod.Delete, "/api/v1/suppressions?address=" + escaped, HttpStatusCode.BadRequest);
        await Exchange(HttpMethod.Post, "/api/v1/erasures", HttpStatusCode.OK, Json($$"""{"address":"{{address}}","evidence":"ticket 42"}"""));
        await Exchange(HttpMethod.Post, "/api/v1/erasures", HttpStatusCode.BadRequest, Json("""{"address":"nope"}"""));
        await Exchange(HttpMethod.Get, "/api/v1/storage", HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/smtp/lockouts", HttpStatusCode.OK);
        await Exchange(HttpMethod.Delete, "/api/v1/smtp/lockouts?client=203.0.113.9", HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/smtp/lockouts?client=not-an-ip", HttpStatusCode.BadRequest);
        await Exchange(HttpMethod.Get, "/api/v1/feedback/review", HttpStatusCode.OK);
        await Exchange(HttpMethod.Get, "/api/v1/feedback/review/nope", HttpStatusCode.NotFound);
        await Exchange(HttpMethod.Post, "/api/v1/feedback/review/nope/dismiss", HttpStatusCode.NotFound);
        await Exchange(HttpMethod.Get, "/api/v1/webhooks", HttpStatusCode.OK);
        await Exchange(HttpMethod.Post, "/api/v1/webhooks/nope/replay?from=2026-12-01", HttpStatusCode.NotFound);
        await Exchange(HttpMethod.Post, "/api/v1/feedback/postmark", HttpStatusCode.NotFound, Json("""{"RecordType":"Bounce"}"""), key: null);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_checker_refuses_what_the_document_does_not_describe()
    {
        var contract = OpenApiContract.Load(CommittedPath);

        Assert.NotEmpty(contract.CheckRequest("GET", "/api/v1/nowhere", null, []));
        Assert.NotEmpty(contract.CheckRequest("GET", "/api/v1/audit?colour=red", null, []));
        Assert.NotEmpty(contract.CheckRequest("POST", "/api/v1/suppressions", "application/json", """{"address":42}"""u8.ToArray()));
        Assert.NotEmpty(contract.CheckResponse("GET", "/api/v1/suppressions/a%40example.com", 200, "application/json", """{"address":"a@example.com"}"""u8.ToArray()));
        Assert.NotEmpty(contract.CheckResponse("GET", "/api/v1/storage", 418, "application/json", "{}"u8.ToArray()));
        Assert.Equal("/api/v1/suppressions/export", contract.Find("GET", "/api/v1/suppressions/export")?.Template);
    }
}
