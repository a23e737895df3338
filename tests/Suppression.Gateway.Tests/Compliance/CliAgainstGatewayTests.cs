using System.Diagnostics;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Compliance;

/// <summary>The <c>suppression</c> tool run as its own process, as an operator would, against a running gateway.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class CliAgainstGatewayTests(ComplianceFixture fixture) : IClassFixture<ComplianceFixture>
{
    [Fact]
    public async Task Import_lookup_audit_export_verify_and_erase_work_from_the_command_line()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var directory = Directory.CreateTempSubdirectory("cli-e2e-").FullName;
        var address = Mail.UniqueAddress("cli");
        var file = Path.Combine(directory, "postmark.csv");
        await File.WriteAllTextAsync(file, $"EmailAddress,SuppressionReason,Origin,CreatedAt\n{address},SpamComplaint,Recipient,2024-05-01T10:00:00Z\nbroken,HardBounce,Recipient,2024-05-01T10:00:00Z\n");

        var import = await RunAsync(gateway, GatewayInstance.AdminKey, "import", file);
        var lookup = await RunAsync(gateway, ComplianceFixture.ComplianceKey, "lookup", address);
        var audit = await RunAsync(gateway, ComplianceFixture.ComplianceKey, "audit", "--address", address, "--format", "csv", "--output", Path.Combine(directory, "audit.csv"));
        var export = await RunAsync(gateway, ComplianceFixture.ComplianceKey, "export", "--output", Path.Combine(directory, "list.csv"));
        var verify = await RunAsync(gateway, ComplianceFixture.ComplianceKey, "verify");
        var refused = await RunAsync(gateway, ComplianceFixture.ComplianceKey, "erase", address, "--yes");
        var erase = await RunAsync(gateway, GatewayInstance.AdminKey, "erase", address, "--yes");
        var after = await RunAsync(gateway, ComplianceFixture.ComplianceKey, "lookup", address);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("postmark", import.Output, StringComparison.Ordinal);
        Assert.Contains("line 3", import.Output, StringComparison.Ordinal);
        Assert.Equal(0, lookup.ExitCode);
        Assert.Contains("complaint", lookup.Output, StringComparison.Ordinal);
        Assert.Equal(0, audit.ExitCode);
        Assert.Contains(",imported,", await File.ReadAllTextAsync(Path.Combine(directory, "audit.csv")), StringComparison.Ordinal);
        Assert.Equal(0, export.ExitCode);
        Assert.Contains(address + ",", await File.ReadAllTextAsync(Path.Combine(directory, "list.csv")), StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("intact", verify.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("compliance role", refused.Error, StringComparison.Ordinal);
        Assert.True(erase.ExitCode == 0, erase.ToString());
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("erasure", after.Output, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    internal static async Task<ProcessResult> RunAsync(GatewayInstance gateway, string key, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "suppression.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SUPPRESSION_URL"] = $"http://127.0.0.1:{gateway.HttpPort}";
        start.Environment["SUPPRESSION_API_KEY"] = key;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    internal sealed record ProcessResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
