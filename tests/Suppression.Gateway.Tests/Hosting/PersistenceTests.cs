using System.Net;
using System.Net.Http.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Hosting;

public sealed class PersistenceTests
{
    [Fact]
    public async Task Suppression_in_the_embedded_store_survives_a_gateway_restart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("suppression-restart-").FullName;
        var address = Mail.UniqueAddress("durable");
        await using (var first = await GatewayInstance.StartAsync(null, null, dataDirectory: dataDirectory))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, reason = "complaint" })).StatusCode);
        }

        await using var second = await GatewayInstance.StartAsync(null, null, dataDirectory: dataDirectory);
        var lookup = await second.Http.GetFromJsonAsync<SuppressionView>("/api/v1/suppressions/" + address);
        Assert.Equal("complaint", Assert.Single(lookup!.Entries).Reason);

        await Mail.SendAsync(second.SmtpPort, Mail.Create("a@sender.test", [address]));
        Assert.Empty(Directory.Exists(second.PickupDirectory) ? Directory.GetFiles(second.PickupDirectory) : []);
    }

    [Fact]
    public async Task A_new_data_directory_is_the_owners_only()
    {
        // It holds the list, the audit trail and the outbox in clear, and the keys.
        var parent = Directory.CreateTempSubdirectory("suppression-modes-").FullName;
        var dataDirectory = Path.Combine(parent, "data");
        try
        {
            await using (var gateway = await GatewayInstance.StartAsync(null, null, dataDirectory: dataDirectory))
            {
                await Mail.SendAsync(gateway.SmtpPort, Mail.Create("a@sender.test", [Mail.UniqueAddress("outbox")]));
            }

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDirectory));
                foreach (var secret in new[] { "store-password", "token-keys", "audit-key" })
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, secret)));
                }
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private sealed record SuppressionView(string Address, List<EntryView> Entries);

    private sealed record EntryView(string Scope, string Reason, string Source, DateTimeOffset CreatedAt);
}
