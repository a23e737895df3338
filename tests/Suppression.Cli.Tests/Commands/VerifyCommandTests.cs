using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class VerifyCommandTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Verify_of_an_intact_log_exits_0_with_the_counts()
    {
        var result = await new CliRunner(_gateway).RunAsync("verify");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("audit chain intact: 1234 records in 56 chains", result.Out.TrimEnd());
        Assert.Equal("/api/v1/audit/verify", _gateway.SingleRequest().RawTarget);
    }

    [Fact]
    public async Task Verify_of_a_broken_chain_exits_6_naming_the_chain_the_sequence_and_the_problem()
    {
        _gateway.VerifyReply = """
            {"ok":false,"records":1234,"chains":56,"firstBadChain":"a1b2c3","firstBadSequence":17,"problem":"hash does not match the previous record"}
            """;

        var result = await new CliRunner(_gateway).RunAsync("verify");

        Assert.Equal(6, result.ExitCode);
        Assert.Equal("audit chain BROKEN at chain a1b2c3 sequence 17: hash does not match the previous record", result.Out.TrimEnd());
    }

    [Fact]
    public async Task Verify_names_a_numeric_chain_as_it_was_sent()
    {
        _gateway.VerifyReply = """{"ok":false,"records":3,"chains":1,"firstBadChain":42,"firstBadSequence":2,"problem":"gap"}""";

        var result = await new CliRunner(_gateway).RunAsync("verify");

        Assert.Equal(6, result.ExitCode);
        Assert.Equal("audit chain BROKEN at chain 42 sequence 2: gap", result.Out.TrimEnd());
    }
}
