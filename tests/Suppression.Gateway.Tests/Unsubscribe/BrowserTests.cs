using System.Net;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// The unsubscribe pages in a real browser on a phone-sized screen: the link from a relayed message,
/// the buttons pressed as a person presses them (so the forms' relative actions and the page's
/// Content-Security-Policy are the browser's to enforce), and what each press changed.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class BrowserTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    [ChromiumFact]
    public async Task A_recipient_unsubscribes_from_the_link_in_their_message_and_undoes_it()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var address = Mail.UniqueAddress("reader");
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [address]));
        var link = LinkOf(Assert.Single(fixture.Sink.Messages));
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.UsePhoneViewportAsync();

        await browser.NavigateAsync(link);
        var confirm = await browser.TextAsync();
        Assert.Contains("Stop sending marketing mail from the sender of this message to r\u2022\u2022\u2022@example.com?", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(address));
        Assert.True((await browser.EvaluateAsync("document.documentElement.scrollWidth <= window.innerWidth")).GetBoolean(), "the page scrolls sideways on a phone");

        await browser.ClickButtonAsync("Unsubscribe");
        Assert.Contains("You are unsubscribed", await browser.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await gateway.LookupStatusAsync(address));

        await browser.ClickButtonAsync("Undo");
        Assert.Contains("You are subscribed again", await browser.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(address));
    }

    [ChromiumFact]
    public async Task A_list_unsubscribe_widened_to_the_whole_sender_from_the_confirmation_page()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var address = Mail.UniqueAddress("reader");
        await using var browser = await HeadlessChromium.StartAsync();

        await browser.NavigateAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/{fixture.Mint(address, "acme", "deals")}"));
        await browser.ClickButtonAsync("Unsubscribe");
        await browser.ClickButtonAsync("Stop all mail from this sender");

        Assert.Contains("will no longer receive any mail from acme", await browser.TextAsync(), StringComparison.Ordinal);
        using var response = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"tenant:acme\"", body, StringComparison.Ordinal);
        Assert.Contains("\"topic:acme/deals\"", body, StringComparison.Ordinal);
    }

    private static Uri LinkOf(ReceivedMessage copy)
    {
        var header = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var start = header.IndexOf("<http", StringComparison.Ordinal);
        Assert.True(start >= 0, header);
        return new Uri(header[(start + 1)..header.IndexOf('>', start)]);
    }
}
