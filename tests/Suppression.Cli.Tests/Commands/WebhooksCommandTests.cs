using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class WebhooksCommandTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task List_shows_each_endpoints_state_as_an_aligned_table_and_why_one_is_disabled()
    {
        var result = await new CliRunner(_gateway).RunAsync("webhooks", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "ID         STATE     BACKLOG  OLDEST UNDELIVERED    DEAD  LAST SUCCESS          FAILURES  URL",
                "crm        enabled   0        -                     0     2026-12-07 05:00:00Z  0         https://crm.example.com/hooks",
                "warehouse  disabled  12       2026-12-06 23:15:00Z  4     -                     3         https://dw.example.com/in",
                "warehouse: disabled (HTTP 410); 'suppression webhooks enable warehouse' sends again",
                "warehouse: last error: HTTP 503",
            ],
            result.Out.TrimEnd().Split(Environment.NewLine));
        Assert.Equal(("GET", "/api/v1/webhooks"), (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task List_with_json_prints_the_gateways_answer_and_without_endpoints_says_so()
    {
        var json = await new CliRunner(_gateway).RunAsync("webhooks", "list", "--json");
        _gateway.WebhooksReply = """{"endpoints":[]}""";
        var none = await new CliRunner(_gateway).RunAsync("webhooks", "list");

        Assert.Equal((0, 0), (json.ExitCode, none.ExitCode));
        Assert.Contains("\"disabledReason\":\"HTTP 410\"", json.Out, StringComparison.Ordinal);
        Assert.Equal("no webhook endpoints configured (Suppression:Webhooks:Endpoints)", none.Out.TrimEnd());
    }

    [Fact]
    public async Task Replay_posts_the_range_as_typed_and_says_how_many_events_it_queued()
    {
        var result = await new CliRunner(_gateway).RunAsync("webhooks", "replay", "crm", "--from", "2026-12-07T10:00:00Z", "--to", "2026-12-07T12:00:00Z");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("queued 2 events for crm from 2026-12-07 10:00:00Z to 2026-12-07 12:00:00Z (the event log keeps 14 days)", result.Out.TrimEnd());
        Assert.Equal(
            ("POST", "/api/v1/webhooks/crm/replay?from=2026-12-07T10%3A00%3A00Z&to=2026-12-07T12%3A00%3A00Z"),
            (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task Replay_without_from_is_a_usage_error_and_asks_nothing()
    {
        var result = await new CliRunner(_gateway).RunAsync("webhooks", "replay", "crm");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task Enable_posts_for_the_endpoint_and_says_whether_it_was_disabled()
    {
        var enabled = await new CliRunner(_gateway).RunAsync("webhooks", "enable", "warehouse");
        _gateway.WebhookEnabledReply = """{"endpoint":"crm","wasDisabled":false}""";
        var notDisabled = await new CliRunner(_gateway).RunAsync("webhooks", "enable", "crm");

        Assert.Equal((0, 0), (enabled.ExitCode, notDisabled.ExitCode));
        Assert.Equal("warehouse enabled: its queued events are sent again", enabled.Out.TrimEnd());
        Assert.Equal("crm was not disabled; its failure count is reset", notDisabled.Out.TrimEnd());
        Assert.Equal(("POST", "/api/v1/webhooks/warehouse/enable"), (_gateway.Requests.First().Method, _gateway.Requests.First().RawTarget));
    }

    [Fact]
    public async Task Requeue_dead_posts_for_the_endpoint_and_says_how_many_moved()
    {
        var result = await new CliRunner(_gateway).RunAsync("webhooks", "requeue-dead", "warehouse");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("requeued 4 dead letters for warehouse, due at once", result.Out.TrimEnd());
        Assert.Equal(("POST", "/api/v1/webhooks/warehouse/dead-letters/requeue"), (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task An_unknown_endpoint_is_the_gateways_404_on_one_line_and_exit_code_1()
    {
        var result = await new CliRunner(_gateway).RunAsync("webhooks", "enable", "nobody");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "error: No such webhook endpoint: 'nobody' is not a configured endpoint (Suppression:Webhooks:Endpoints); GET /api/v1/webhooks lists them.",
            result.Error.TrimEnd());
        Assert.Empty(result.Out);
    }
}
