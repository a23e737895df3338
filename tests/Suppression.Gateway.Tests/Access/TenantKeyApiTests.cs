using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Access;

/// <summary>
/// A marketing system holding its tenant's key (Suppression:Tenants:N:ApiKeys) against a real
/// gateway: it manages its own opt-outs and nothing else (docs/operations.md, who may do what).
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class TenantKeyApiTests(TenantKeysFixture fixture) : IClassFixture<TenantKeysFixture>
{
    private const string Suppressions = "/api/v1/suppressions";

    [Fact]
    public async Task Tenant_key_adds_a_topic_opt_out_checks_the_address_and_imports_a_file_into_its_scope_and_the_audit_names_the_key()
    {
        using var acme = fixture.Client(TenantKeysFixture.AcmeKey);
        var reader = Mail.UniqueAddress("reader");
        var imported = Mail.UniqueAddress("imported");

        using var added = await acme.PostAsJsonAsync(Suppressions, new { address = reader, scope = "topic:acme/newsletter", reason = "unsubscribe", note = "preference centre" });
        var lookup = await acme.GetFromJsonAsync<JsonElement>($"{Suppressions}/{Uri.EscapeDataString(reader)}");
        using var file = new StringContent(
            $"EmailAddress,SuppressionReason,Origin,CreatedAt\n{imported},ManualSuppression,Customer,2024-05-01T10:00:00Z\nbroken,HardBounce,Recipient,2024-05-01T10:00:00Z\n",
            Encoding.UTF8,
            "text/csv");
        using var import = await acme.PostAsync($"{Suppressions}/import", file);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("topic:acme/newsletter", Assert.Single(lookup.GetProperty("entries").EnumerateArray()).GetProperty("scope").GetString());
        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, summary.GetProperty("imported").GetInt64());
        Assert.Equal(3, Assert.Single(summary.GetProperty("errors").EnumerateArray()).GetProperty("line").GetInt64());

        // With no scope given, a tenant key's import lands in its tenant's scope, not the global one.
        Assert.Equal(["tenant:acme"], await fixture.ScopesAsync(imported));
        var trail = await fixture.Gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?address=" + Uri.EscapeDataString(reader));
        var record = Assert.Single(trail.GetProperty("records").EnumerateArray());
        Assert.Equal(TenantKeysFixture.AcmeActor, record.GetProperty("actor").GetString());
        var importTrail = await fixture.Gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit?type=imported&limit=100");
        Assert.Contains(importTrail.GetProperty("records").EnumerateArray(), imports => imports.GetProperty("actor").GetString() == TenantKeysFixture.AcmeActor);
    }

    [Fact]
    public async Task Tenant_key_is_refused_with_a_readable_403_outside_its_tenant_and_nothing_changes()
    {
        using var acme = fixture.Client(TenantKeysFixture.AcmeKey);
        var address = Mail.UniqueAddress("guarded");
        await fixture.SuppressAsync(address, "global");
        await fixture.SuppressAsync(address, "tenant:globex");
        var before = await fixture.ScopesAsync(address);
        var csv = $"EmailAddress,SuppressionReason,Origin,CreatedAt\n{address},HardBounce,Recipient,2024-05-01T10:00:00Z\n";

        var refusals = new (string What, HttpMethod Method, string Path, HttpContent? Body)[]
        {
            ("erasure", HttpMethod.Post, "/api/v1/erasures", JsonContent.Create(new { address, evidence = "art. 17 request" })),
            ("global suppression", HttpMethod.Post, Suppressions, JsonContent.Create(new { address, scope = "global" })),
            ("another tenant's scope", HttpMethod.Post, Suppressions, JsonContent.Create(new { address, scope = "tenant:globex" })),
            ("another tenant's topic", HttpMethod.Post, Suppressions, JsonContent.Create(new { address, scope = "topic:globex/news" })),
            ("global removal", HttpMethod.Delete, $"{Suppressions}?address={Uri.EscapeDataString(address)}&scope=global", JsonContent.Create(new { evidence = "asked" })),
            ("another tenant's removal", HttpMethod.Delete, $"{Suppressions}?address={Uri.EscapeDataString(address)}&scope=tenant:globex", JsonContent.Create(new { evidence = "asked" })),
            ("global import", HttpMethod.Post, $"{Suppressions}/import?scope=global", new StringContent(csv, Encoding.UTF8, "text/csv")),
            ("another tenant's import", HttpMethod.Post, $"{Suppressions}/import?scope=topic:globex/news", new StringContent(csv, Encoding.UTF8, "text/csv")),
            ("whole-trail audit", HttpMethod.Get, "/api/v1/audit", null),
            ("address audit", HttpMethod.Get, "/api/v1/audit?address=" + Uri.EscapeDataString(address), null),
            ("audit verification", HttpMethod.Get, "/api/v1/audit/verify", null),
            ("export", HttpMethod.Get, $"{Suppressions}/export", null),
            ("webhooks", HttpMethod.Get, "/api/v1/webhooks", null),
            ("feedback review", HttpMethod.Get, "/api/v1/feedback/review", null),
        };

        foreach (var (what, method, path, body) in refusals)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body };
            using var response = await acme.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("tenant 'acme'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await fixture.ScopesAsync(address));
    }

    [Fact]
    public async Task Tenant_key_sees_global_entries_and_its_own_but_another_tenants_not_even_by_their_existence()
    {
        using var acme = fixture.Client(TenantKeysFixture.AcmeKey);
        var shared = Mail.UniqueAddress("shared");
        var theirs = Mail.UniqueAddress("theirs");
        var nobodys = Mail.UniqueAddress("nobody");
        foreach (var scope in new[] { "global", "tenant:acme", "tenant:globex", "topic:globex/news" })
        {
            await fixture.SuppressAsync(shared, scope);
        }

        await fixture.SuppressAsync(theirs, "tenant:globex");

        var sharedBody = await acme.GetStringAsync($"{Suppressions}/{Uri.EscapeDataString(shared)}");
        using var theirsLookup = await acme.GetAsync($"{Suppressions}?address={Uri.EscapeDataString(theirs)}");
        using var nobodysLookup = await acme.GetAsync($"{Suppressions}/{Uri.EscapeDataString(nobodys)}");
        using var addedBeside = await acme.PostAsJsonAsync(Suppressions, new { address = theirs });

        var scopes = JsonDocument.Parse(sharedBody).RootElement.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("scope").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["global", "tenant:acme"], scopes);
        Assert.DoesNotContain("globex", sharedBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, theirsLookup.StatusCode);
        Assert.Equal(
            (await nobodysLookup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
            (await theirsLookup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // The answer to its own write shows its entry, and still not the other tenant's.
        Assert.Equal(HttpStatusCode.Created, addedBeside.StatusCode);
        var addedBody = await addedBeside.Content.ReadAsStringAsync();
        Assert.Contains("\"tenant:acme\"", addedBody, StringComparison.Ordinal);
        Assert.DoesNotContain("globex", addedBody, StringComparison.Ordinal);
        Assert.Equal(["tenant:acme", "tenant:globex"], await fixture.ScopesAsync(theirs));
    }

    [Fact]
    public async Task Tenant_key_removal_without_a_scope_removes_its_own_entries_only()
    {
        using var acme = fixture.Client(TenantKeysFixture.AcmeKey);
        var address = Mail.UniqueAddress("reconsent");
        foreach (var scope in new[] { "global", "tenant:acme", "topic:acme/news", "tenant:globex" })
        {
            await fixture.SuppressAsync(address, scope);
        }

        using var removal = await acme.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Suppressions}/{Uri.EscapeDataString(address)}")
        {
            Content = JsonContent.Create(new { evidence = "signed up again on the acme form" }),
        });
        using var again = await acme.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Suppressions}/{Uri.EscapeDataString(address)}")
        {
            Content = JsonContent.Create(new { evidence = "signed up again on the acme form" }),
        });

        Assert.Equal(HttpStatusCode.OK, removal.StatusCode);
        Assert.Equal(2, (await removal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed").GetInt32());
        Assert.Equal(["global", "tenant:globex"], await fixture.ScopesAsync(address));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Tenant_key_importing_a_gateway_export_keeps_the_rows_of_its_scopes_and_names_the_others_as_bad_lines()
    {
        using var acme = fixture.Client(TenantKeysFixture.AcmeKey);
        var (own, global, other) = (Mail.UniqueAddress("own"), Mail.UniqueAddress("global"), Mail.UniqueAddress("other"));
        var export = "address,address_hash,scope,reason,source,created_at,batch,mailbox_key\n"
            + $"{own},,topic:acme/news,unsubscribe,api,2024-05-01T10:00:00Z,,\n"
            + $"{global},,global,unsubscribe,api,2024-05-01T10:00:00Z,,\n"
            + $"{other},,tenant:globex,unsubscribe,api,2024-05-01T10:00:00Z,,\n";

        using var import = await acme.PostAsync($"{Suppressions}/import", new StringContent(export, Encoding.UTF8, "text/csv"));

        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, summary.GetProperty("imported").GetInt64());
        Assert.Equal([3L, 4L], summary.GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("line").GetInt64()));
        Assert.Equal(["topic:acme/news"], await fixture.ScopesAsync(own));
        Assert.Empty(await fixture.ScopesAsync(global));
        Assert.Empty(await fixture.ScopesAsync(other));
    }

    [Fact]
    public async Task Key_of_the_other_tenant_configured_as_a_digest_acts_for_that_tenant_only()
    {
        using var globex = fixture.Client(TenantKeysFixture.GlobexKey);
        var address = Mail.UniqueAddress("globex");

        using var added = await globex.PostAsJsonAsync(Suppressions, new { address, scope = "topic:globex/news" });
        using var refused = await globex.PostAsJsonAsync(Suppressions, new { address, scope = "tenant:acme" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(["topic:globex/news"], await fixture.ScopesAsync(address));
    }

    [Fact]
    public async Task Tenant_key_batch_checks_for_its_own_tenant_sees_global_and_its_own_entries_and_is_refused_for_another()
    {
        using var acme = fixture.Client(TenantKeysFixture.AcmeKey);
        var (everyone, globexOnly, acmeOnly, clean) = (Mail.UniqueAddress("everyone"), Mail.UniqueAddress("globex-only"), Mail.UniqueAddress("acme-only"), Mail.UniqueAddress("clean"));
        await fixture.SuppressAsync(everyone, "global");
        await fixture.SuppressAsync(globexOnly, "tenant:globex");
        await fixture.SuppressAsync(acmeOnly, "tenant:acme");

        // No tenant named: the key's own, as an SMTP session bound to it.
        using var checkedForAcme = await acme.PostAsJsonAsync($"{Suppressions}/check", new { addresses = new[] { everyone, globexOnly, acmeOnly, clean } });
        using var namingGlobex = await acme.PostAsJsonAsync($"{Suppressions}/check", new { tenant = "globex", addresses = new[] { globexOnly } });
        using var streamedForGlobex = await acme.PostAsync(
            $"{Suppressions}/check?tenant=globex", new StringContent($"{{\"address\":\"{globexOnly}\"}}\n", Encoding.UTF8, "application/x-ndjson"));

        Assert.True(checkedForAcme.StatusCode == HttpStatusCode.OK, await checkedForAcme.Content.ReadAsStringAsync());
        var answer = await checkedForAcme.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("acme", answer.GetProperty("context").GetProperty("tenant").GetString());
        var results = answer.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["suppressed", "deliver", "suppressed", "deliver"], results.Select(result => result.GetProperty("verdict").GetString()));
        Assert.Equal("global", results[0].GetProperty("scope").GetString());
        Assert.Equal("tenant:acme", results[2].GetProperty("scope").GetString());
        Assert.False(results[1].TryGetProperty("scope", out _));
        foreach (var refused in new[] { namingGlobex, streamedForGlobex })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("acts for tenant 'acme'", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
