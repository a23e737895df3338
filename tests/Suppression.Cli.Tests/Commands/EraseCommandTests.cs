using System.Text.Json;
using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class EraseCommandTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Erase_without_yes_when_stdin_is_not_a_terminal_refuses_and_sends_nothing()
    {
        var result = await new CliRunner(_gateway) { Input = "y\n" }.RunAsync("erase", "jane@example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--yes", result.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Erase_with_yes_posts_the_address_and_prints_what_was_erased()
    {
        var result = await new CliRunner(_gateway).RunAsync("erase", "jane@example.com", "--yes");

        Assert.Equal(0, result.ExitCode);
        var request = _gateway.SingleRequest();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/erasures", request.RawTarget);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("jane@example.com", body.RootElement.GetProperty("address").GetString());
        Assert.Equal(
            """
            erased jane@example.com
            address hash:        5e884898da280471
            audit records:       12
            suppression entries: 1

            """,
            result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Erase_on_a_terminal_asks_and_proceeds_on_yes()
    {
        var result = await new CliRunner(_gateway) { InputIsTerminal = true, Input = "yes\n" }.RunAsync("erase", "jane@example.com");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Erase jane@example.com? This cannot be undone. [y/N]", result.Error, StringComparison.Ordinal);
        Assert.Single(_gateway.Requests);
    }

    [Fact]
    public async Task Erase_on_a_terminal_answered_with_anything_but_yes_sends_nothing()
    {
        var result = await new CliRunner(_gateway) { InputIsTerminal = true, Input = "\n" }.RunAsync("erase", "jane@example.com");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not erased", result.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }
}
