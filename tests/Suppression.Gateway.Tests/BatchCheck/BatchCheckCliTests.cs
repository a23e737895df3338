using Suppression.Gateway.Tests.Compliance;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.BatchCheck;

/// <summary>
/// <c>suppression check</c> against a real gateway, as a campaign tool's operator would clean a list:
/// a file far larger than the connection's buffers (the answers must be read while the file is still
/// being sent, or both sides stall), answered line for line, and a refused context as one line, exit 1.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class BatchCheckCliTests(BatchCheckFixture fixture) : IClassFixture<BatchCheckFixture>
{
    [Fact]
    public async Task A_large_file_is_answered_in_order_in_its_own_format_with_a_summary_and_exit_0()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var (optedOut, bounced) = (Mail.UniqueAddress("cli-opted-out"), Mail.UniqueAddress("cli-bounced"));
        await fixture.SuppressAsync(Backends.Embedded, optedOut, "topic:acme/news", "unsubscribe");
        await fixture.SuppressAsync(Backends.Embedded, bounced, "global", "hard-bounce");
        var directory = Directory.CreateTempSubdirectory("cli-check-").FullName;
        var list = Path.Combine(directory, "audience.csv");
        var addresses = Enumerable.Range(0, 150_000).Select(index => $"reader-{index}@example.com").ToList();
        addresses.Insert(70_000, optedOut);
        addresses.Insert(140_000, bounced);
        await File.WriteAllLinesAsync(list, addresses.Prepend("email"));
        var answers = Path.Combine(directory, "answers.csv");

        var result = await CliAgainstGatewayTests.RunAsync(gateway, GatewayInstance.AdminKey, "check", list, "--tenant", "acme", "--topic", "news", "--output", answers);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("150002 addresses: 150000 deliver, 2 suppressed, 0 invalid", result.Error, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(answers);
        Assert.Equal(addresses.Count + 2, lines.Length);
        Assert.StartsWith(optedOut + ",suppressed,topic:acme/news", lines[70_001], StringComparison.Ordinal);
        Assert.StartsWith(bounced + ",suppressed,global", lines[140_001], StringComparison.Ordinal);
        Assert.StartsWith("reader-149999@example.com,deliver", lines[^2], StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Ndjson_is_answered_as_ndjson_and_a_context_smtp_would_refuse_is_one_line_and_exit_1()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var directory = Directory.CreateTempSubdirectory("cli-check-").FullName;
        var list = Path.Combine(directory, "audience.ndjson");
        await File.WriteAllTextAsync(list, "{\"address\":\"a@example.com\"}\n{\"address\":\"not-an-address\"}\n");

        var answered = await CliAgainstGatewayTests.RunAsync(gateway, GatewayInstance.AdminKey, "check", list, "--tenant", "beta");
        var refused = await CliAgainstGatewayTests.RunAsync(gateway, GatewayInstance.AdminKey, "check", list, "--tenant", "nobody");

        Assert.True(answered.ExitCode == 0, answered.ToString());
        var lines = answered.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"verdict\":\"deliver\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"verdict\":\"invalid\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("2 addresses: 1 deliver, 0 suppressed, 1 invalid", answered.Error, StringComparison.Ordinal);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.StartsWith("error: Context refused", Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }
}
