using Suppression.Gateway.Tests.Compliance;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Access;

/// <summary>The <c>suppression</c> tool run with a tenant key, as that tenant's marketing team would.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class TenantKeyCliTests(TenantKeysFixture fixture) : IClassFixture<TenantKeysFixture>
{
    [Fact]
    public async Task Tenant_key_imports_and_looks_up_from_the_command_line_and_a_refusal_is_one_clear_line()
    {
        var directory = Directory.CreateTempSubdirectory("cli-tenant-").FullName;
        var address = Mail.UniqueAddress("cli-tenant");
        await fixture.SuppressAsync(address, "tenant:globex");
        var file = Path.Combine(directory, "postmark.csv");
        await File.WriteAllTextAsync(file, $"EmailAddress,SuppressionReason,Origin,CreatedAt\n{address},SpamComplaint,Recipient,2024-05-01T10:00:00Z\n");

        var import = await CliAgainstGatewayTests.RunAsync(fixture.Gateway, TenantKeysFixture.AcmeKey, "import", file, "--scope", "topic:acme/news");
        var lookup = await CliAgainstGatewayTests.RunAsync(fixture.Gateway, TenantKeysFixture.AcmeKey, "lookup", address);
        var global = await CliAgainstGatewayTests.RunAsync(fixture.Gateway, TenantKeysFixture.AcmeKey, "import", file, "--scope", "global");
        var erase = await CliAgainstGatewayTests.RunAsync(fixture.Gateway, TenantKeysFixture.AcmeKey, "erase", address, "--yes");
        var audit = await CliAgainstGatewayTests.RunAsync(fixture.Gateway, TenantKeysFixture.AcmeKey, "audit", "--address", address);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.True(lookup.ExitCode == 0, lookup.ToString());
        Assert.Contains("topic:acme/news", lookup.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("globex", lookup.Output, StringComparison.Ordinal);
        foreach (var refused in new[] { global, erase, audit })
        {
            Assert.True(refused.ExitCode == 1, refused.ToString());
            var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: Forbidden: This key acts for tenant 'acme'", line, StringComparison.Ordinal);
        }

        Assert.Equal(["tenant:globex", "topic:acme/news"], await fixture.ScopesAsync(address));
        Directory.Delete(directory, recursive: true);
    }
}
