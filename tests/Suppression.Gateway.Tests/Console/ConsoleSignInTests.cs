using System.Net;
using Suppression.Gateway.Access;
using Suppression.Gateway.Console;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Console;

/// <summary>Signing in and out of /console, sessions, antiforgery and the headers on every page.</summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleSignInTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_wrong_key_gets_the_form_again_with_401_and_no_session_cookie()
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));

        var response = await client.SubmitAsync("/console/login", "/console/login", ("key", "not-a-key-of-this-gateway"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("That is not a compliance, admin or tenant key of this gateway", response.Body, StringComparison.Ordinal);
        Assert.Contains("<form class=\"stack\" method=\"post\" action=\"/console/login\">", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(response.SetCookies, cookie => cookie.StartsWith(ConsoleClient.SessionCookieName + "=", StringComparison.Ordinal));
        Assert.Null(client.SessionCookie);
    }

    [Fact]
    public async Task A_compliance_key_gets_a_strict_http_only_session_cookie_without_the_key_and_the_dashboard()
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));

        var signedIn = await client.SubmitAsync("/console/login", "/console/login", ("key", ConsoleFixture.ComplianceKey));

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.Status);
        Assert.Equal("/console", signedIn.Location);
        var cookie = Assert.Single(signedIn.SetCookies, cookie => cookie.StartsWith(ConsoleClient.SessionCookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ConsoleFixture.ComplianceKey, cookie, StringComparison.Ordinal);

        var dashboard = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("<h1>Dashboard</h1>", dashboard.Body, StringComparison.Ordinal);
        Assert.Contains("Signed in as <strong class=\"role\">compliance</strong>", dashboard.Body, StringComparison.Ordinal);
        Assert.Contains(ApiKeys.Actor(ApiKeys.ComplianceRole, ConsoleFixture.ComplianceKey), dashboard.Body, StringComparison.Ordinal);
        Assert.Contains("action=\"/console/logout\"", dashboard.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsoleFixture.ComplianceKey, dashboard.Body, StringComparison.Ordinal);

        var signInAgain = await client.GetAsync("/console/login");
        Assert.Equal((HttpStatusCode.SeeOther, "/console"), (signInAgain.Status, signInAgain.Location));
    }

    [Fact]
    public async Task An_admin_key_signs_in_too()
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));

        await client.SignInAsync(GatewayInstance.AdminKey);

        Assert.Contains("Signed in as <strong class=\"role\">admin</strong>", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_a_valid_antiforgery_token_is_400_and_does_nothing()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        using var client = fixture.Client(gateway);

        var signIn = await client.PostAsync("/console/login", ("key", ConsoleFixture.ComplianceKey));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.Status);
        Assert.Contains("did not carry this console&#39;s security token", signIn.Body, StringComparison.Ordinal);
        Assert.Contains("Nothing was done", signIn.Body, StringComparison.Ordinal);
        Assert.Null(client.SessionCookie);

        await client.SignInAsync(ConsoleFixture.ComplianceKey);
        var verification = (VerificationStatus)gateway.Services.GetService(typeof(VerificationStatus))!;
        var before = verification.Last;
        var forged = await client.PostAsync("/console/verify", ("__RequestVerificationToken", "forged"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Same(before, verification.Last);

        var signOut = await client.PostAsync("/console/logout");
        Assert.Equal(HttpStatusCode.BadRequest, signOut.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console")).Status);
    }

    [Theory]
    [InlineData("/console")]
    [InlineData("/console/address")]
    [InlineData("/console/audit?type=blocked")]
    [InlineData("/console/download/audit?format=csv")]
    [InlineData("/console/download/suppressions?format=ndjson")]
    public async Task Pages_and_downloads_without_a_session_send_the_browser_to_sign_in(string path)
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.SeeOther, response.Status);
        Assert.Equal("/console/login", response.Location);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task Posts_without_a_session_are_sent_to_sign_in_before_anything_is_read()
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));
        client.Cookies.Add(client.BaseAddress, new Cookie(ConsoleClient.SessionCookieName, "forged-session", "/console"));

        foreach (var path in new[] { "/console/address", "/console/download/address", "/console/verify" })
        {
            var response = await client.PostAsync(path, ("address", "someone@example.com"), ("format", "csv"));
            Assert.True(response.Status == HttpStatusCode.SeeOther && response.Location == "/console/login", $"POST {path}: {response}");
        }
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var client = fixture.Client(await fixture.GatewayAsync(Backends.Embedded));
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var signedOut = await client.SubmitAsync("/console", "/console/logout");

        Assert.Equal(HttpStatusCode.SeeOther, signedOut.Status);
        Assert.Equal("/console/login", signedOut.Location);
        Assert.Null(client.SessionCookie);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.GetAsync("/console")).Status);
    }

    [Fact]
    public async Task Failed_sign_ins_are_limited_per_client_address_and_other_addresses_still_sign_in()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);

        // Another loopback address is another client as far as the limit can tell.
        var guesser = IPAddress.Parse($"127.0.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(2, 255)}");
        using var guessing = fixture.Client(gateway, from: guesser);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var wrong = await guessing.SubmitAsync("/console/login", "/console/login", ("key", $"guess-number-{attempt}-of-ten"));
            Assert.True(wrong.Status == HttpStatusCode.Unauthorized, $"attempt {attempt}: {wrong}");
        }

        var limited = await guessing.SubmitAsync("/console/login", "/console/login", ("key", ConsoleFixture.ComplianceKey));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Too many failed sign-ins", limited.Body, StringComparison.Ordinal);
        Assert.True(int.Parse(limited.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Null(guessing.SessionCookie);

        using var officer = fixture.Client(gateway);
        await officer.SignInAsync(ConsoleFixture.ComplianceKey);
    }

    [Fact]
    public async Task Every_console_response_carries_the_security_headers()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        using var anonymous = fixture.Client(gateway);
        using var client = fixture.Client(gateway);
        await client.SignInAsync(ConsoleFixture.ComplianceKey);

        var responses = new Dictionary<string, ConsoleResponse>
        {
            ["sign-in page"] = await anonymous.GetAsync("/console/login"),
            ["redirect to sign-in"] = await anonymous.GetAsync("/console/audit"),
            ["failed sign-in"] = await anonymous.SubmitAsync("/console/login", "/console/login", ("key", "wrong-key-for-headers")),
            ["stylesheet"] = await anonymous.GetAsync("/console/console.css"),
            ["dashboard"] = await client.GetAsync("/console"),
            ["audit log"] = await client.GetAsync("/console/audit"),
            ["download"] = await client.GetAsync("/console/download/suppressions?format=csv"),
            ["refused form"] = await client.PostAsync("/console/verify"),
        };

        foreach (var (what, response) in responses)
        {
            Assert.True(response.Header("Content-Security-Policy") == ConsoleSecurityHeaders.ContentSecurityPolicy, $"{what}: CSP {response.Header("Content-Security-Policy")}");
            Assert.True(response.Header("X-Content-Type-Options") == "nosniff", $"{what}: X-Content-Type-Options");
            Assert.True(response.Header("Referrer-Policy") == "no-referrer", $"{what}: Referrer-Policy");
            Assert.True(response.Header("Cache-Control") == "no-store", $"{what}: Cache-Control {response.Header("Cache-Control")}");
            Assert.True(response.Header("X-Frame-Options") == "DENY", $"{what}: X-Frame-Options {response.Header("X-Frame-Options")}");
        }

        Assert.Equal("text/css; charset=utf-8", responses["stylesheet"].Header("Content-Type"));
        Assert.DoesNotContain("style=", responses["dashboard"].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", responses["dashboard"].Body, StringComparison.OrdinalIgnoreCase);
    }
}
