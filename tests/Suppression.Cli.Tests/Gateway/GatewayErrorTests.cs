using System.Net;
using System.Net.Sockets;
using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Gateway;

public sealed class GatewayErrorTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_problem_document_is_printed_as_error_title_detail_with_exit_1()
    {
        _gateway.FailEverything = (400, "application/problem+json", """{"type":"about:blank","title":"Invalid scope","detail":"Use global, tenant:<id> or topic:<tenant>/<topic>.","status":400}""");

        var result = await new CliRunner(_gateway).RunAsync("verify");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Invalid scope: Use global, tenant:<id> or topic:<tenant>/<topic>.", result.Error.TrimEnd());
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task An_error_without_a_problem_document_is_printed_as_its_status_line()
    {
        _gateway.FailEverything = (502, "text/html", "<html><body>Bad gateway</body></html>");

        var result = await new CliRunner(_gateway).RunAsync("lookup", "jane@example.com");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: 502 Bad Gateway", result.Error.TrimEnd());
    }

    [Fact]
    public async Task A_wrong_key_is_reported_as_the_gateways_401_without_printing_the_key()
    {
        var result = await new CliRunner(_gateway).RunAsync("lookup", "jane@example.com", "--api-key", "wrong-secret-key");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Unauthorized: ", result.Error, StringComparison.Ordinal);
        Assert.Equal("Bearer wrong-secret-key", _gateway.SingleRequest().Authorization);
        Assert.DoesNotContain("wrong-secret-key", result.Error + result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_gateway_exits_3_with_one_line_naming_the_url()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var result = await new CliRunner().RunAsync("verify", "--url", url, "--api-key", "k");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"error: cannot reach the gateway at {url}: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_missing_api_key_is_a_usage_error_that_says_how_to_give_one()
    {
        var runner = new CliRunner(_gateway);
        runner.Environment.Remove("SUPPRESSION_API_KEY");

        var result = await runner.RunAsync("lookup", "jane@example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: an API key is required: pass --api-key or set SUPPRESSION_API_KEY.", result.Error.TrimEnd());
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task The_command_line_url_and_key_win_over_the_environment()
    {
        var runner = new CliRunner();
        runner.Environment["SUPPRESSION_URL"] = $"http://127.0.0.1:{ClosedPort()}";
        runner.Environment["SUPPRESSION_API_KEY"] = "environment-key";

        var result = await runner.RunAsync("verify", "--url", _gateway.Url.ToString(), "--api-key", FakeGateway.ApiKey);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Bearer " + FakeGateway.ApiKey, _gateway.SingleRequest().Authorization);
    }

    [Fact]
    public async Task A_url_with_a_path_prefix_keeps_it()
    {
        var runner = new CliRunner();
        var result = await runner.RunAsync("verify", "--url", new Uri(_gateway.Url, "gateway").ToString(), "--api-key", FakeGateway.ApiKey);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("/gateway/api/v1/audit/verify", _gateway.SingleRequest().RawTarget);
    }

    [Fact]
    public async Task A_url_that_is_not_http_is_a_usage_error()
    {
        var result = await new CliRunner().RunAsync("verify", "--url", "ftp://gateway.example", "--api-key", "k");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ftp://gateway.example", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_never_shows_the_api_key_from_the_environment()
    {
        var runner = new CliRunner(_gateway);

        var result = await runner.RunAsync("lookup", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--api-key", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeGateway.ApiKey, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_2()
    {
        var result = await new CliRunner(_gateway).RunAsync("verify", "--bogus");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--bogus", result.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
