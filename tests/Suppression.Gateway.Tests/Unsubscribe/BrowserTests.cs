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

        Assert.Contains("will no longer receive all mail from acme", await browser.TextAsync(), StringComparison.Ordinal);
        using var response = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"tenant:acme\"", body, StringComparison.Ordinal);
        Assert.Contains("\"topic:acme/deals\"", body, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task A_recipient_unticks_a_list_on_the_preference_page_on_a_phone_and_saves_without_script()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var address = Mail.UniqueAddress("reader");
        var link = new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/{fixture.Mint(address, "outdoor", "deals")}");
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.UsePhoneViewportAsync();

        await browser.NavigateAsync(link);
        Assert.Contains("Or choose what Outdoor & Co sends you", await browser.TextAsync(), StringComparison.Ordinal);
        Assert.True((await browser.EvaluateAsync("document.documentElement.scrollWidth <= window.innerWidth")).GetBoolean(), "the page scrolls sideways on a phone");
        Assert.True((await browser.EvaluateAsync("[...document.querySelectorAll('input[type=checkbox]')].every(box => box.labels.length === 1)")).GetBoolean(), "a box without its label");
        Assert.Equal(0, (await browser.EvaluateAsync("document.scripts.length")).GetInt32());

        // A tap on the label ticks its box off, as on a phone.
        await browser.EvaluateAsync("[...document.querySelectorAll('label')].find(label => label.textContent.trim() === 'News').click()");
        await browser.ClickButtonAsync("Save my choices");

        Assert.Contains("will no longer receive: News.", await browser.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(link.ToString(), (await browser.EvaluateAsync("document.querySelector('a[href^=\"../\"]').href")).GetString());
        using var response = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        Assert.Contains("\"topic:outdoor/news\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Uri LinkOf(ReceivedMessage copy)
    {
        var header = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var start = header.IndexOf("<http", StringComparison.Ordinal);
        Assert.True(start >= 0, header);
        return new Uri(header[(start + 1)..header.IndexOf('>', start)]);
    }
}
