using System.Net;
using Suppression.Gateway.Tests.Console;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Access;

/// <summary>A tenant key at the console: the address page, with the API's limits; every other page is refused.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class TenantKeyConsoleTests(TenantKeysFixture fixture) : IClassFixture<TenantKeysFixture>
{
    [Fact]
    public async Task Tenant_key_signs_in_to_the_address_page_which_shows_global_and_own_entries_but_not_another_tenants()
    {
        var address = Mail.UniqueAddress("console");
        foreach (var scope in new[] { "global", "topic:acme/news", "tenant:globex" })
        {
            await fixture.SuppressAsync(address, scope);
        }

        using var browser = new ConsoleClient(fixture.Gateway, from: null, () => fixture.ServerLog);
        var signedIn = await browser.SubmitAsync("/console/login", "/console/login", ("key", TenantKeysFixture.AcmeKey));
        var page = await browser.SubmitAsync("/console/address", "/console/address", ("address", address));

        Assert.True(signedIn.Status == HttpStatusCode.SeeOther && signedIn.Location == "/console/address", signedIn.ToString());
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("topic:acme/news", page.Body, StringComparison.Ordinal);
        Assert.Contains(">global<", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("globex", page.Body, StringComparison.Ordinal);

        // No history (other tenants' and operators' records), no downloads, no links to pages it may not open.
        Assert.DoesNotContain("/console/download/", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/console/audit\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("tenant acme", page.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/console")]
    [InlineData("/console/audit")]
    [InlineData("/console/review")]
    [InlineData("/console/webhooks")]
    [InlineData("/console/download/suppressions")]
    [InlineData("/console/download/audit")]
    public async Task Tenant_key_session_is_refused_every_other_page_with_a_403_saying_what_it_may_do(string path)
    {
        using var browser = new ConsoleClient(fixture.Gateway, from: null, () => fixture.ServerLog);
        var signedIn = await browser.SubmitAsync("/console/login", "/console/login", ("key", TenantKeysFixture.AcmeKey));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.Status);

        var page = await browser.GetAsync(path);

        Assert.True(page.Status == HttpStatusCode.Forbidden, page.ToString());
        Assert.Contains("tenant &#39;acme&#39;", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("text/csv", page.Header("Content-Type") ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_key_session_cannot_download_an_address_history()
    {
        var address = Mail.UniqueAddress("download");
        await fixture.SuppressAsync(address, "tenant:globex");
        using var browser = new ConsoleClient(fixture.Gateway, from: null, () => fixture.ServerLog);
        await browser.SubmitAsync("/console/login", "/console/login", ("key", TenantKeysFixture.AcmeKey));

        var download = await browser.SubmitAsync("/console/address", "/console/download/address", ("address", address), ("format", "csv"));

        Assert.Equal(HttpStatusCode.Forbidden, download.Status);
        Assert.DoesNotContain("globex", download.Body, StringComparison.Ordinal);
    }
}
