using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class StorageCommandTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Storage_names_the_format()
    {
        var result = await new CliRunner(_gateway).RunAsync("storage");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("stored as text", result.Out.TrimEnd());
        Assert.Equal(("GET", "/api/v1/storage"), (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task Upgrade_posts_and_reports_what_it_converted()
    {
        var result = await new CliRunner(_gateway).RunAsync("storage", "upgrade");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("stored as compact: 1200 mailboxes, 1150 converted, 48 already compact, 2 kept as text, in 0.4 s", result.Out.TrimEnd());
        Assert.Equal(("POST", "/api/v1/storage/upgrade"), (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task Upgrade_refused_by_the_gateway_exits_1_with_its_reason()
    {
        _gateway.FailEverything = (403, "application/problem+json", """{"title":"Forbidden","detail":"This key has the compliance role.","status":403}""");

        var result = await new CliRunner(_gateway).RunAsync("storage", "upgrade");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Forbidden: This key has the compliance role.", result.Error.TrimEnd());
    }
}
