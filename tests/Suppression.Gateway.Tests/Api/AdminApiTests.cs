using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Api;

/// <summary>The /api/v1 contract (docs/design.md, HTTP) as a client sees it; every exchange also asserts "no 5xx" (see <see cref="NoServerErrorsHandler"/>).</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class AdminApiTests(AdminApiFixture fixture) : IClassFixture<AdminApiFixture>
{
    private const string Suppressions = "/api/v1/suppressions";
    private const string ValidKey = "Bearer " + GatewayInstance.AdminKey;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Request_without_a_key_is_401_with_a_bearer_challenge_and_a_readable_problem(string backend)
    {
        var address = Mail.UniqueAddress("anonymous");
        var requests = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, Suppressions, new { address }),
            (HttpMethod.Get, PathOf(address), null),
            (HttpMethod.Delete, PathOf(address), new { evidence = "asked by phone" }),
        };

        foreach (var (method, path, body) in requests)
        {
            using var response = await SendAsync(backend, method, path, body, authorization: null);

            var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.Contains("Authorization: Bearer <key>", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var lookup = await SendAsync(backend, HttpMethod.Get, PathOf(address));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Request_with_a_wrong_key_or_scheme_is_401(string backend)
    {
        string[] wrong =
        [
            "Bearer wrong-key-0123456789abcdef",
            "Bearer " + GatewayInstance.AdminKey.ToUpperInvariant(),
            "Bearer " + GatewayInstance.AdminKey + "x",
            "Bearer ",
            "Basic " + GatewayInstance.AdminKey,
            GatewayInstance.AdminKey,

            // The configured digest is not itself a key.
            "Bearer " + AdminApiFixture.HashedKeySetting,
            "Bearer " + AdminApiFixture.HashedKeySetting["sha256:".Length..],
        ];

        foreach (var authorization in wrong)
        {
            using var response = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address = Mail.UniqueAddress("wrong-key") }, authorization);

            await ProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Key_configured_only_as_its_sha256_digest_is_accepted(string backend)
    {
        var address = Mail.UniqueAddress("hashed-key");

        using var added = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address }, "Bearer " + AdminApiFixture.HashedKey);
        using var lookup = await SendAsync(backend, HttpMethod.Get, PathOf(address), authorization: "Bearer " + AdminApiFixture.HashedKey);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Adding_an_invalid_address_is_400_with_a_detail_naming_the_problem(string backend)
    {
        var cases = new (string? Address, string Detail)[]
        {
            ("no-at-sign.example.com", "'@'"),
            ("", "empty"),
            (null, "empty"),
            ("someone@exa mple.com", "domain"),
            ("two words@example.com", "quotes"),
            // Sent as the JSON escape \ufffe: string.Normalize throws on U+FFFE, which was a 500.
            ("a\uFFFE@example.com", "invalid Unicode"),
        };

        foreach (var (address, detail) in cases)
        {
            using var response = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address });

            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("Invalid address", problem.GetProperty("title").GetString());
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Adding_with_an_unknown_scope_or_reason_is_400_and_writes_nothing(string backend)
    {
        var address = Mail.UniqueAddress("bad-fields");

        using var badScope = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, scope = "planet:earth" });
        using var emptyTenant = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, scope = "tenant:" });
        using var badReason = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, reason = "because" });

        Assert.Contains("tenant:<id>", (await ProblemAsync(badScope, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Invalid scope", (await ProblemAsync(emptyTenant, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        var reasonProblem = await ProblemAsync(badReason, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid reason", reasonProblem.GetProperty("title").GetString());
        Assert.Contains("unsubscribe", reasonProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var lookup = await SendAsync(backend, HttpMethod.Get, PathOf(address));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Malformed_json_body_is_400_with_a_readable_detail_and_no_stack_trace(string backend)
    {
        string[] bodies = ["{\"address\": ", "not json", "{\"address\": 42}", "[]", "null", ""];

        foreach (var body in bodies)
        {
            using var response = await SendRawAsync(backend, HttpMethod.Post, Suppressions, body);

            var text = await response.Content.ReadAsStringAsync();
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"no detail for body '{body}': {text}");
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Adding_is_201_then_200_for_the_same_address_and_scope_and_a_new_scope_adds_an_entry(string backend)
    {
        var address = Mail.UniqueAddress("idempotent");

        using var first = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, note = "asked at the counter" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(PathOf(address), first.Headers.Location?.OriginalString);
        var created = await JsonAsync(first);
        Assert.Equal(address, created.GetProperty("address").GetString());
        var entry = Assert.Single(created.GetProperty("entries").EnumerateArray());
        Assert.Equal("global", entry.GetProperty("scope").GetString());
        Assert.Equal("manual", entry.GetProperty("reason").GetString());
        Assert.Equal("api", entry.GetProperty("source").GetString());

        using var second = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single((await JsonAsync(second)).GetProperty("entries").EnumerateArray());
        Assert.Equal(["global"], await ScopesAsync(backend, first.Headers.Location!.OriginalString));

        using var tenant = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, scope = "tenant:acme", reason = "unsubscribe" });
        Assert.Equal(HttpStatusCode.Created, tenant.StatusCode);
        Assert.Equal(["global", "tenant:acme"], await ScopesAsync(backend, PathOf(address)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Looking_up_an_unlisted_address_is_404_problem(string backend)
    {
        using var response = await SendAsync(backend, HttpMethod.Get, PathOf(Mail.UniqueAddress("never-listed")));

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("No suppression", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Looking_up_an_invalid_address_is_400_problem(string backend)
    {
        foreach (var address in new[] { "not-an-address", "a\uFFFE@example.com" })
        {
            using var response = await SendAsync(backend, HttpMethod.Get, PathOf(address));

            Assert.Equal("Invalid address", (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Lookup_normalizes_the_address_so_a_differently_cased_spelling_finds_the_entry(string backend)
    {
        var local = "foo-" + Guid.NewGuid().ToString("N");
        using var added = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address = local + "@example.com" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        using var lookup = await SendAsync(backend, HttpMethod.Get, PathOf("Foo" + local[3..] + "@EXAMPLE.com"));

        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal(local + "@example.com", (await JsonAsync(lookup)).GetProperty("address").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Removing_without_evidence_is_400_and_removes_nothing(string backend)
    {
        var address = Mail.UniqueAddress("no-evidence");
        using var added = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        using var noBody = await SendAsync(backend, HttpMethod.Delete, PathOf(address));
        using var blank = await SendAsync(backend, HttpMethod.Delete, PathOf(address), new { evidence = "   " });
        using var otherField = await SendAsync(backend, HttpMethod.Delete, PathOf(address), new { note = "trust me" });

        foreach (var response in new[] { noBody, blank, otherField })
        {
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("Invalid evidence", problem.GetProperty("title").GetString());
            Assert.Contains("evidence", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(["global"], await ScopesAsync(backend, PathOf(address)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Removing_with_a_scope_removes_only_that_scope(string backend)
    {
        var address = Mail.UniqueAddress("two-scopes");
        using var global = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address });
        using var tenant = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, scope = "tenant:acme" });
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], [global.StatusCode, tenant.StatusCode]);

        using var removal = await SendAsync(backend, HttpMethod.Delete, PathOf(address) + "?scope=tenant:acme", new { evidence = "re-subscribed to acme news 2026-11-23" });

        Assert.Equal(HttpStatusCode.OK, removal.StatusCode);
        Assert.Equal(1, (await JsonAsync(removal)).GetProperty("removed").GetInt32());
        Assert.Equal(["global"], await ScopesAsync(backend, PathOf(address)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Removing_with_evidence_is_200_and_the_address_is_no_longer_listed(string backend)
    {
        var address = Mail.UniqueAddress("re-consent");
        using var added = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, reason = "complaint" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        using var removal = await SendAsync(backend, HttpMethod.Delete, PathOf(address), new { evidence = "double opt-in confirmed 2026-11-23" });
        Assert.Equal(HttpStatusCode.OK, removal.StatusCode);
        var removed = await JsonAsync(removal);
        Assert.Equal(address, removed.GetProperty("address").GetString());
        Assert.Equal(1, removed.GetProperty("removed").GetInt32());

        using var lookup = await SendAsync(backend, HttpMethod.Get, PathOf(address));
        await ProblemAsync(lookup, HttpStatusCode.NotFound);
        using var again = await SendAsync(backend, HttpMethod.Delete, PathOf(address), new { evidence = "double opt-in confirmed 2026-11-23" });
        await ProblemAsync(again, HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_address_with_a_slash_is_looked_up_and_removed_with_the_query_or_body_form(string backend)
    {
        var address = "a/b-" + Guid.NewGuid().ToString("N") + "@example.com";
        var query = Suppressions + "?address=" + Uri.EscapeDataString(address);
        using var added = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, reason = "unsubscribe" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(query, added.Headers.Location?.OriginalString);

        using (var lookup = await SendAsync(backend, HttpMethod.Get, query))
        {
            Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
            Assert.Equal(address, (await JsonAsync(lookup)).GetProperty("address").GetString());
        }

        using (var removal = await SendAsync(backend, HttpMethod.Delete, query + "&scope=global", new { evidence = "asked by phone" }))
        {
            Assert.Equal(HttpStatusCode.OK, removal.StatusCode);
            Assert.Equal(address, (await JsonAsync(removal)).GetProperty("address").GetString());
        }

        using (var gone = await SendAsync(backend, HttpMethod.Get, query))
        {
            await ProblemAsync(gone, HttpStatusCode.NotFound);
        }

        // The body form, and a query without an address.
        using (var again = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address, reason = "unsubscribe" }))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        using (var byBody = await SendAsync(backend, HttpMethod.Delete, Suppressions, new { address, evidence = "asked by phone" }))
        {
            Assert.Equal(HttpStatusCode.OK, byBody.StatusCode);
        }

        using var none = await SendAsync(backend, HttpMethod.Get, Suppressions);
        Assert.Contains("?address=", (await ProblemAsync(none, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var twice = await SendAsync(backend, HttpMethod.Delete, query, new { address = "other@example.com", evidence = "asked by phone" });
        await ProblemAsync(twice, HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Health_is_200_and_readiness_is_200_with_redis_and_upstream_ok(string backend)
    {
        using var health = await SendAsync(backend, HttpMethod.Get, "/healthz", authorization: null);
        using var ready = await SendAsync(backend, HttpMethod.Get, "/readyz", authorization: null);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readiness = await JsonAsync(ready);
        Assert.Equal("ready", readiness.GetProperty("status").GetString());
        Assert.Equal("ok", readiness.GetProperty("redis").GetString());
        Assert.Equal("ok", readiness.GetProperty("upstream").GetString());
    }

    private static string PathOf(string address) => Suppressions + "/" + Uri.EscapeDataString(address);

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_compliance_key_reads_but_every_write_is_403_and_changes_nothing(string backend)
    {
        const string compliance = "Bearer " + AdminApiFixture.ComplianceKey;
        var listed = Mail.UniqueAddress("listed");
        var unlisted = Mail.UniqueAddress("unlisted");
        using (var added = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address = listed }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using var read = await SendAsync(backend, HttpMethod.Get, PathOf(listed), authorization: compliance);
        using var add = await SendAsync(backend, HttpMethod.Post, Suppressions, new { address = unlisted }, compliance);
        using var remove = await SendAsync(backend, HttpMethod.Delete, PathOf(listed), new { evidence = "asked by phone" }, compliance);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        Assert.Contains("compliance role", await add.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var stillListed = await SendAsync(backend, HttpMethod.Get, PathOf(listed));
        using var stillUnlisted = await SendAsync(backend, HttpMethod.Get, PathOf(unlisted));
        Assert.Equal(HttpStatusCode.OK, stillListed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stillUnlisted.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string backend, HttpMethod method, string path, object? body = null, string? authorization = ValidKey)
    {
        using var request = new HttpRequestMessage(method, new Uri(await fixture.BaseAddressAsync(backend), path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await fixture.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendRawAsync(string backend, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, new Uri(await fixture.BaseAddressAsync(backend), path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", ValidKey);
        return await fixture.Client.SendAsync(request);
    }

    private async Task<List<string>> ScopesAsync(string backend, string path)
    {
        using var response = await SendAsync(backend, HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("entries").EnumerateArray()
            .Select(entry => entry.GetProperty("scope").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with the expected status and returns its body.</summary>
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), text);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), text);
        return problem;
    }
}
