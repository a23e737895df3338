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

    private sealed record SuppressionView(string Address, List<EntryView> Entries);

    private sealed record EntryView(string Scope, string Reason, string Source, DateTimeOffset CreatedAt);
}
