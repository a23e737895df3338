using System.Net;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// Sessions across restarts: the cookie's keys live in the data directory, so a session survives a
/// restart; it ends once its key is no longer configured.
/// </summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleSessionTests
{
    private const string AnotherKey = "another-compliance-key-0123456789";

    [Fact]
    public async Task A_session_survives_a_restart_and_ends_once_its_key_is_no_longer_configured()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("console-session-").FullName;
        try
        {
            CookieCollection cookies;
            await using (var gateway = await StartAsync(dataDirectory, ConsoleFixture.ComplianceKey))
            {
                using var client = new ConsoleClient(gateway, from: null, () => string.Empty);
                await client.SignInAsync(ConsoleFixture.ComplianceKey);
                cookies = client.Cookies.GetAllCookies();
            }

            await using (var restarted = await StartAsync(dataDirectory, ConsoleFixture.ComplianceKey))
            {
                using var client = new ConsoleClient(restarted, from: null, () => string.Empty);
                client.Cookies.Add(cookies);
                var dashboard = await client.GetAsync("/console");
                Assert.True(dashboard.Status == HttpStatusCode.OK, $"after a restart: {dashboard}");
            }

            await using (var rekeyed = await StartAsync(dataDirectory, AnotherKey))
            {
                using var client = new ConsoleClient(rekeyed, from: null, () => string.Empty);
                client.Cookies.Add(cookies);
                var dashboard = await client.GetAsync("/console");
                Assert.True(dashboard.Status == HttpStatusCode.SeeOther && dashboard.Location == "/console/login", $"after the key was removed: {dashboard}");
                Assert.Null(client.SessionCookie);
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static Task<GatewayInstance> StartAsync(string dataDirectory, string complianceKey) =>
        GatewayInstance.StartAsync(
            redis: null,
            upstreamPort: null,
            new Dictionary<string, string> { ["Suppression:Compliance:ApiKeys:0"] = complianceKey },
            dataDirectory);
}
