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
        Assert.Equal("stored as compact: 1200 mailboxes, 1150 converted, 48 already compact, 2 kept as text, 0 unreadable, in 0.4 s", result.Out.TrimEnd());
        Assert.Equal(("POST", "/api/v1/storage/upgrade?format=compact"), (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task Upgrade_to_hashed_asks_for_it_by_name()
    {
        _gateway.UpgradeReply = """{"format":"hashed","mailboxes":10,"converted":9,"alreadyInFormat":0,"keptAsText":0,"unreadable":1,"seconds":0.1}""";

        var result = await new CliRunner(_gateway).RunAsync("storage", "upgrade", "--format", "hashed");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("stored as hashed: 10 mailboxes, 9 converted, 0 already hashed, 0 kept as text, 1 unreadable, in 0.1 s", result.Out.TrimEnd());
        Assert.Equal("/api/v1/storage/upgrade?format=hashed", _gateway.SingleRequest().RawTarget);
    }

    [Fact]
    public async Task Upgrade_to_a_format_that_does_not_exist_is_refused_before_asking_the_gateway()
    {
        var result = await new CliRunner(_gateway).RunAsync("storage", "upgrade", "--format", "text");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("text", result.Error, StringComparison.Ordinal);
        Assert.Empty(_gateway.Requests);
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
