using System.Net;
using System.Security.Cryptography;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>/u/{token} as a recipient's browser and mail client see it (docs/design.md, HTTP; RFC 8058).</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class UnsubscribeApiTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    private static readonly Dictionary<string, string> OneClickBody = new() { ["List-Unsubscribe"] = "One-Click" };
    private static readonly Dictionary<string, string> PageFormBody = new() { ["source"] = "page" };

    // Same key id as the gateway's key, different key: a forged token.
    private static readonly UnsubscribeTokenCodec OtherKeyCodec =
        new(TokenKeyRing.Parse(["1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes))]));

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Get_shows_a_form_naming_what_stops_with_a_masked_address_and_writes_nothing(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var cases = new (string? Tenant, string? Topic, string WhatStops)[]
        {
            (null, null, "marketing mail from the sender of this message"),
            ("acme", null, "mail from acme"),
            ("acme", "weekly-deals", "the weekly-deals list of acme"),
        };

        foreach (var (tenant, topic, whatStops) in cases)
        {
            var address = Mail.UniqueAddress("jane");
            using var response = await fixture.Client.GetAsync(UrlOf(gateway, fixture.Mint(address, tenant, topic)));

            var page = await PageAsync(response, HttpStatusCode.OK);
            Assert.Contains("<html lang=\"en\">", page, StringComparison.Ordinal);
            Assert.Contains("<h1>", page, StringComparison.Ordinal);
            Assert.Contains("name=\"viewport\"", page, StringComparison.Ordinal);
            Assert.Contains("<form method=\"post\">", page, StringComparison.Ordinal);
            Assert.Contains("<button type=\"submit\">", page, StringComparison.Ordinal);
            Assert.Contains(whatStops, page, StringComparison.Ordinal);
            Assert.Contains("j\u2022\u2022\u2022@example.com", page, StringComparison.Ordinal);
            Assert.DoesNotContain(address, page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(address.Split('@')[0], page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("http", page, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(address));
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Page_values_from_the_token_are_html_encoded(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);

        using var response = await fixture.Client.GetAsync(UrlOf(gateway, fixture.Mint(Mail.UniqueAddress("x"), "<script>alert(1)</script>", "a&b")));

        var page = await PageAsync(response, HttpStatusCode.OK);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("a&amp;b", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task One_click_post_writes_the_scoped_entry_before_answering_200(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var cases = new (string? Tenant, string? Topic, string Scope)[]
        {
            (null, null, "global"),
            ("acme", null, "tenant:acme"),
            ("acme", "weekly-deals", "topic:acme/weekly-deals"),
        };

        foreach (var (tenant, topic, scope) in cases)
        {
            var address = Mail.UniqueAddress("one-click");
            using var response = await PostAsync(gateway, fixture.Mint(address, tenant, topic), OneClickBody);

            var page = await PageAsync(response, HttpStatusCode.OK);
            Assert.Contains("unsubscribed", page, StringComparison.Ordinal);
            Assert.DoesNotContain(address, page, StringComparison.OrdinalIgnoreCase);
            var entry = Assert.Single(await gateway.EntriesAsync(address));
            Assert.Equal(scope, entry.GetProperty("scope").GetString());
            Assert.Equal("unsubscribe", entry.GetProperty("reason").GetString());
            Assert.Equal("one-click", entry.GetProperty("source").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task One_click_unsubscribe_stops_the_very_next_message_while_another_recipient_still_gets_it(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var optedOut = Mail.UniqueAddress("opted-out");
        var subscriber = Mail.UniqueAddress("subscriber");

        using var response = await PostAsync(gateway, fixture.Mint(optedOut), OneClickBody);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [optedOut, subscriber]));

        Assert.Equal([subscriber], Assert.Single(fixture.Sink.Messages).Recipients);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Form_post_from_the_page_is_recorded_with_source_page(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("page");

        using var response = await PostAsync(gateway, fixture.Mint(address, "acme"), PageFormBody);

        await PageAsync(response, HttpStatusCode.OK);
        var entry = Assert.Single(await gateway.EntriesAsync(address));
        Assert.Equal("tenant:acme", entry.GetProperty("scope").GetString());
        Assert.Equal("page", entry.GetProperty("source").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Repeated_post_is_200_again_and_leaves_one_entry(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("twice");
        var token = fixture.Mint(address, "acme", "news");

        using var first = await PostAsync(gateway, token, OneClickBody);
        using var second = await PostAsync(gateway, token, OneClickBody);
        using var fromPage = await PostAsync(gateway, token, PageFormBody);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [first.StatusCode, second.StatusCode, fromPage.StatusCode]);
        Assert.Equal("one-click", Assert.Single(await gateway.EntriesAsync(address)).GetProperty("source").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Post_without_the_one_click_body_or_the_page_form_is_a_400_page_and_writes_nothing(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("scanned");
        var token = fixture.Mint(address);

        // What a link scanner or a confused client might send: nothing, or some other form.
        using var empty = await fixture.Client.PostAsync(UrlOf(gateway, token), content: null);
        using var other = await PostAsync(gateway, token, new Dictionary<string, string> { ["List-Unsubscribe"] = "Yes-Please" });

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], [empty.StatusCode, other.StatusCode]);
        Assert.Contains("Nothing was changed", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(address));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Tampered_truncated_invented_or_garbage_token_is_a_400_page_and_writes_nothing(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("victim");
        var valid = fixture.Mint(address);
        var flipped = valid[10] == 'A' ? 'B' : 'A';
        string[] tokens =
        [
            valid[..10] + flipped + valid[11..],
            valid[..^4],
            valid + "A",
            OtherKeyCodec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), null, null, DateTimeOffset.UtcNow)),
            "not-a-token",
            new string('A', 2000),
        ];

        foreach (var token in tokens)
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
            {
                using var request = new HttpRequestMessage(method, UrlOf(gateway, token));
                if (method == HttpMethod.Post)
                {
                    request.Content = new FormUrlEncodedContent(OneClickBody);
                }

                using var response = await fixture.Client.SendAsync(request);

                var page = await PageAsync(response, HttpStatusCode.BadRequest);
                Assert.Contains("not valid", page, StringComparison.Ordinal);
                Assert.Contains("Nothing was changed", page, StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(address));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Expired_token_is_a_400_page_that_says_so_and_writes_nothing(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("late");
        var expired = fixture.Mint(address, "acme", issuedAt: DateTimeOffset.UtcNow.AddDays(-61));

        using var get = await fixture.Client.GetAsync(UrlOf(gateway, expired));
        using var post = await PostAsync(gateway, expired, OneClickBody);

        foreach (var response in new[] { get, post })
        {
            var page = await PageAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains("expired", page, StringComparison.Ordinal);
            Assert.Contains("more recent message", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(address));
    }

    private static Uri UrlOf(GatewayInstance gateway, string token) => new($"http://127.0.0.1:{gateway.HttpPort}/u/{token}");

    private async Task<HttpResponseMessage> PostAsync(GatewayInstance gateway, string token, Dictionary<string, string> form) =>
        await fixture.Client.PostAsync(UrlOf(gateway, token), new FormUrlEncodedContent(form));

    /// <summary>Asserts a status and the headers every unsubscribe page carries, and returns the HTML.</summary>
    internal static async Task<string> PageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {page}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'", Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store missing");
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("<h1>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", page, StringComparison.Ordinal);
        return page;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : string.Empty;
}
