using Suppression.Cli.Tests.Infrastructure;

namespace Suppression.Cli.Tests.Commands;

public sealed class LockoutsCommandTests : IAsyncLifetime
{
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Lockouts_lists_each_client_and_name_as_an_aligned_table()
    {
        var result = await new CliRunner(_gateway).RunAsync("lockouts", "--client", "203.0.113.9");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "CLIENT             USER         FAILURES  LAST FAILURE          LOCKED UNTIL",
                "203.0.113.9        acme-mailer  5         2026-12-07 05:00:00Z  2026-12-07 05:01:00Z",
                "2001:db8:1:2::/64  (any name)   2         2026-12-07 04:00:00Z  -",
            ],
            result.Out.TrimEnd().Split(Environment.NewLine));
        Assert.Equal(("GET", "/api/v1/smtp/lockouts?client=203.0.113.9"), (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task Clear_deletes_for_the_client_and_name_and_says_how_much_it_forgot()
    {
        var result = await new CliRunner(_gateway).RunAsync("lockouts", "clear", "--client", "203.0.113.9", "--user", "acme mailer");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("cleared 1 records for acme-mailer at 203.0.113.9", result.Out.TrimEnd());
        Assert.Equal(("DELETE", "/api/v1/smtp/lockouts?client=203.0.113.9&user=acme%20mailer"), (_gateway.SingleRequest().Method, _gateway.SingleRequest().RawTarget));
    }

    [Fact]
    public async Task Clear_without_a_client_is_a_usage_error_and_asks_nothing()
    {
        var result = await new CliRunner(_gateway).RunAsync("lockouts", "clear");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(_gateway.Requests);
    }
}
