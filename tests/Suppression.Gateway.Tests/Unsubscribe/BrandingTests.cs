using System.Net;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// A tenant's accent colour and logo on the recipient's pages (issue 22): the logo is a file the
/// gateway serves itself, so the page still loads nothing from anywhere else, under the same headers.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class BrandingTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    [Fact]
    public async Task The_sender_s_page_shows_its_logo_from_this_gateway_and_its_colour_and_loads_nothing_else()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var link = new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/{fixture.Mint(Mail.UniqueAddress("branded"), "outdoor", "deals")}");

        using var page = await fixture.Client.GetAsync(link);
        var html = await page.Content.ReadAsStringAsync();
        using var logo = await fixture.Client.GetAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/assets/logo/outdoor"));
        using var none = await fixture.Client.GetAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/assets/logo/acme"));

        Assert.Contains("<img class=\"logo\" src=\"/u/assets/logo/outdoor\" alt=\"Outdoor &amp; Co\">", html, StringComparison.Ordinal);
        Assert.Contains($"button:not(.secondary){{background:{UnsubscribeFixture.OutdoorAccent}}}", html, StringComparison.Ordinal);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("http", string.Join(" ", System.Text.RegularExpressions.Regex.Matches(html, "src=\"([^\"]*)\"").Select(match => match.Groups[1].Value)), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
        Assert.Equal("image/png", logo.Content.Headers.ContentType?.MediaType);
        Assert.Equal(UnsubscribeFixture.OutdoorLogo, await logo.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", logo.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task A_sender_without_branding_keeps_the_page_s_own_look()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var link = new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/{fixture.Mint(Mail.UniqueAddress("plain"), "acme", "deals")}");

        var html = await fixture.Client.GetStringAsync(link);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("button:not(.secondary)", html, StringComparison.Ordinal);
    }
}
