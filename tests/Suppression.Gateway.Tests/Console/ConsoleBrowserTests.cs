using Suppression.Gateway.Tests.Feedback;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// The console in a real browser, as a compliance officer uses it: Playwright drives Debian's
/// headless Chromium through sign-in, an address's history, the audit log filtered and downloaded,
/// verification and sign-out, then an admin's dismissal of a report held for review, and keeps a
/// full-page screenshot of each page.
/// </summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleBrowserTests(ConsoleFixture fixture)
{
    private static readonly string[] Screenshots =
        ["01-login", "02-address-history", "03-address-history-phone", "04-audit-log", "05-dashboard", "06-signed-out",
         "07-review-queue", "08-review-report", "09-review-dismissed", "10-webhooks"];

    [ConsoleBrowserFact]
    public async Task An_officer_signs_in_reads_an_address_history_filters_and_downloads_the_audit_verifies_and_signs_out()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var address = Mail.UniqueAddress("browser");
        var messageId = await fixture.UnsubscribeThenBlockAsync(gateway, address);
        var held = Mail.UniqueAddress("held");
        Assert.Equal("250 2.0.0 Report received; held for review", await FeedbackReports.MailAsync(gateway, ConsoleFixture.FeedbackAddress, FeedbackReports.Dsn(held)));
        var screenshots = Path.Combine(AppContext.BaseDirectory, "console-screenshots");
        if (Directory.Exists(screenshots))
        {
            Directory.Delete(screenshots, recursive: true);
        }

        var (exitCode, output) = await ConsoleScript.RunAsync(
            new Dictionary<string, string>
            {
                ["URL"] = $"http://127.0.0.1:{gateway.HttpPort}",
                ["KEY"] = ConsoleFixture.ComplianceKey,
                ["ADDRESS"] = address,
                ["OUTDIR"] = screenshots,
                ["MESSAGE_ID"] = messageId,
                ["SOURCE"] = "one-click",
                ["ADMIN_KEY"] = GatewayInstance.AdminKey,
                ["REVIEW_ADDRESS"] = held,
            },
            TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, $"console.e2e.mjs exited with {exitCode}: {output}{Environment.NewLine}Server log: {fixture.ServerLog}");
        foreach (var name in Screenshots)
        {
            var file = new FileInfo(Path.Combine(screenshots, name + ".png"));
            Assert.True(file.Exists && file.Length > 1000, $"no screenshot {file.FullName}");
        }
    }
}
