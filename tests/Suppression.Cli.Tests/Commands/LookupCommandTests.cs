using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class LookupCommandTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Lookup_prints_the_address_and_one_aligned_row_per_entry()
    {
        var result = await new CliRunner(_gateway).RunAsync("lookup", "jane@example.com");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            jane@example.com
            SCOPE                  REASON       SOURCE         CREATED
            global                 unsubscribe  one-click      2026-11-23T10:00:00+00:00
            topic:acme/newsletter  complaint    feedback-loop  2026-11-24T08:30:00+00:00

            """,
            result.Out.ReplaceLineEndings("\n"));
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Lookup_sends_the_bearer_key_and_escapes_the_address_in_the_path()
    {
        _gateway.Suppressed["jane+news@example.com"] = FakeGateway.JaneLookup;

        var result = await new CliRunner(_gateway).RunAsync("lookup", "jane+news@example.com");

        Assert.Equal(0, result.ExitCode);
        var request = _gateway.SingleRequest();
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/v1/suppressions/jane%2Bnews%40example.com", request.RawTarget);
        Assert.Equal("Bearer " + FakeGateway.ApiKey, request.Authorization);
    }

    [Fact]
    public async Task Lookup_of_an_address_with_no_suppression_exits_4_with_the_answer_on_stdout()
    {
        var result = await new CliRunner(_gateway).RunAsync("lookup", "nobody@example.com");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("nobody@example.com is not suppressed", result.Out.TrimEnd());
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Lookup_with_json_prints_the_gateways_body_unchanged()
    {
        var result = await new CliRunner(_gateway).RunAsync("lookup", "jane@example.com", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(FakeGateway.JaneLookup, result.Out.TrimEnd());
    }

    [Fact]
    public async Task Lookup_without_an_address_is_a_usage_error_and_sends_nothing()
    {
        var result = await new CliRunner(_gateway).RunAsync("lookup");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Required argument missing", result.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
    }
}
